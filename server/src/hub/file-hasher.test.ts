import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileHasher } from './file-hasher.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'mlxm-hasher-'));
  dirs.push(d);
  return d;
}

const data = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 31) & 0xff));

describe('FileHasher', () => {
  it('hashes a file written out of order while it grows, as if hashed at the end', async () => {
    const path = join(await tmp(), 'f.incomplete');
    const fh = await open(path, 'w');
    await fh.truncate(data.length);
    const hasher = new FileHasher(path, 'sha256', data.length);
    // The second half lands first; the hasher is told only how far the file is complete from its start.
    const half = 1.5 * 1024 * 1024;
    await fh.write(data, half, data.length - half, half);
    hasher.advance(0);
    for (let at = 0; at < half; at += 256 * 1024) {
      const end = Math.min(half, at + 256 * 1024);
      await fh.write(data, at, end - at, at);
      hasher.advance(end);
    }
    await fh.close();
    expect(await hasher.digest()).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('gives the git blob id for regular files', async () => {
    const path = join(await tmp(), 'small');
    await writeFile(path, 'hello\n');
    const hasher = new FileHasher(path, 'git-sha1', 6);
    // `git hash-object` of "hello\n".
    expect(await hasher.digest()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('refuses to read through a link planted as the partial file', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'secret'), data);
    await symlink(join(dir, 'secret'), join(dir, 'f.incomplete'));
    const hasher = new FileHasher(join(dir, 'f.incomplete'), 'sha256', data.length);
    await expect(hasher.digest()).rejects.toThrow(/ELOOP|symbolic link/);
  });
});
