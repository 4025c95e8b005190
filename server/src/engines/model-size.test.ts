// Model sizes from real files: a GGUF file, a model folder, a repo in a Hugging Face cache layout
// (snapshot links into blobs, refs/main choosing the snapshot), and what cannot be found.
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelSizeOnDisk } from './model-size.js';

let dir: string;
const sized = async (file: string, bytes: number) => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
  await truncate(file, bytes);
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mlxm-model-size-'));
  await sized(path.join(dir, 'files', 'model.gguf'), 5000);
  await sized(path.join(dir, 'files', 'folder', 'a.safetensors'), 3000);
  await sized(path.join(dir, 'files', 'folder', 'nested', 'b.safetensors'), 1000);
  const repo = path.join(dir, 'hub', 'models--org--name');
  const commit = 'a'.repeat(40);
  await sized(path.join(repo, 'blobs', 'e1'), 7000);
  await sized(path.join(repo, 'blobs', 'e2'), 11);
  await mkdir(path.join(repo, 'snapshots', commit), { recursive: true });
  await symlink('../../blobs/e1', path.join(repo, 'snapshots', commit, 'model.safetensors'));
  await symlink('../../blobs/e2', path.join(repo, 'snapshots', commit, 'config.json'));
  await mkdir(path.join(repo, 'refs'), { recursive: true });
  await writeFile(path.join(repo, 'refs', 'main'), commit);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('modelSizeOnDisk', () => {
  it('is the size of a GGUF file', async () => {
    expect(await modelSizeOnDisk(path.join(dir, 'files', 'model.gguf'), path.join(dir, 'hub'))).toBe(5000);
  });

  it('sums a model folder, nested files included', async () => {
    expect(await modelSizeOnDisk(path.join(dir, 'files', 'folder'), path.join(dir, 'hub'))).toBe(4000);
  });

  it('sums the snapshot refs/main points at for a repo id, following links into blobs', async () => {
    expect(await modelSizeOnDisk('org/name', path.join(dir, 'hub'))).toBe(7011);
  });

  it('is null when nothing is there (not counted against the budget)', async () => {
    expect(await modelSizeOnDisk('org/absent', path.join(dir, 'hub'))).toBeNull();
    expect(await modelSizeOnDisk(path.join(dir, 'nope.gguf'), path.join(dir, 'hub'))).toBeNull();
    expect(await modelSizeOnDisk('not a repo id', path.join(dir, 'hub'))).toBeNull();
  });
});
