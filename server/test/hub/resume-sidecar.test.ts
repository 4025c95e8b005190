// Resuming a large file from its sidecar: the spans format, the fixed-chunk format of earlier
// versions (a download they started resumes instead of starting over) and a sidecar that does
// not describe the file (ignored: the file starts over).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoPaths } from '../../src/hub/cache-layout.js';
import { HubClient } from '../../src/hub/client.js';
import { downloadSnapshot } from '../../src/hub/downloader.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { pseudoBytes, tempDir } from './helpers.js';

const MiB = 1024 * 1024;
const big = pseudoBytes(4 * MiB + 777, 5);
const sha = createHash('sha256').update(big).digest('hex');
const key = 'org/resume/model.safetensors';

let hub: FakeHub | undefined;
let client: HubClient | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await client?.close();
  await hub?.close();
  for (const c of cleanups.splice(0)) await c();
});

/** A partial file holding `big`'s bytes in `present` (zeros elsewhere), with `sidecar` beside it. */
async function resumeFrom(present: [number, number][], sidecar: unknown): Promise<{ served: number; digest: string }> {
  hub = await startFakeHub({ repos: [{ id: 'org/resume', files: [{ path: 'model.safetensors', content: big }] }] });
  client = new HubClient({ endpoint: hub.url });
  const t = await tempDir('sidecar');
  cleanups.push(t.cleanup);
  const cacheDir = join(t.dir, 'hub');
  const paths = repoPaths(cacheDir, 'org/resume');
  await mkdir(paths.blobsDir, { recursive: true });
  const partial = Buffer.alloc(big.length);
  for (const [a, b] of present) big.copy(partial, a, a, b);
  await writeFile(paths.incomplete(sha), partial);
  await writeFile(paths.progress(sha), JSON.stringify(sidecar));
  const res = await downloadSnapshot({ repo: 'org/resume' }, { client, cacheDir, chunkSize: MiB });
  const digest = createHash('sha256').update(await readFile(join(res.snapshotDir, 'model.safetensors'))).digest('hex');
  return { served: hub.stats.bytesServed.get(key) ?? 0, digest };
}

describe('resuming a large file from its sidecar', () => {
  it('fetches only the spans the sidecar does not list', async () => {
    const have: [number, number][] = [[0, MiB + 10], [2 * MiB, 3 * MiB + 5]];
    const { served, digest } = await resumeFrom(have, { size: big.length, have });
    expect(digest).toBe(sha);
    expect(served).toBe(big.length - (MiB + 10) - (MiB + 5));
  });

  it('reads the fixed-chunk sidecar of earlier versions', async () => {
    // Chunks of 1 MiB: the first complete, the third half done, the rest not started.
    const { served, digest } = await resumeFrom([[0, MiB], [2 * MiB, 2.5 * MiB]], { size: big.length, chunkSize: MiB, done: [MiB, 0, MiB / 2, 0, 0] });
    expect(digest).toBe(sha);
    expect(served).toBe(big.length - 1.5 * MiB);
  });

  it('starts over when the sidecar does not describe the file', async () => {
    const { served, digest } = await resumeFrom([[0, MiB]], { size: big.length, have: [[0, big.length + 1]] });
    expect(digest).toBe(sha);
    expect(served).toBe(big.length);
  });
});
