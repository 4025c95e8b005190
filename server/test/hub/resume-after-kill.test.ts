import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/client.js';
import { downloadSnapshot } from '../../src/hub/downloader.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { pseudoBytes, tempDir } from './helpers.js';

const CHUNK = 1024 * 1024;
const big = pseudoBytes(6 * CHUNK + 4321, 11);
const key = 'org/big/model.safetensors';
const root = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('./child-download.ts', import.meta.url));

let hub: FakeHub | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await hub?.close();
  for (const c of cleanups.splice(0)) await c();
});

it('resumes after kill -9 mid-file, refetching at most one chunk, and verifies sha256', async () => {
  hub = await startFakeHub({
    repos: [{ id: 'org/big', files: [{ path: 'config.json', content: '{}' }, { path: 'model.safetensors', content: big }] }],
    // Slow enough that the kill lands mid-file, per connection so 4 chunks run in parallel.
    faults: { throttleBytesPerSec: 1024 * 1024 },
  });
  const t = await tempDir('resume');
  cleanups.push(t.cleanup);
  const cacheDir = join(t.dir, 'hub');

  const proc = spawn(process.execPath, ['--import', 'tsx', child, hub.url, cacheDir, 'org/big', String(CHUNK)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  try {
    // Wait (bounded) until a good part of the big file went out, then kill -9.
    const deadline = Date.now() + 20_000;
    while ((hub.stats.bytesServed.get(key) ?? 0) < 2.5 * CHUNK) {
      if (Date.now() > deadline) throw new Error(`child made no progress: ${stderr}`);
      if (proc.exitCode !== null) throw new Error(`child exited early: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    proc.kill('SIGKILL');
  }
  await exited;
  const servedBeforeKill = hub.stats.bytesServed.get(key) ?? 0;
  expect(servedBeforeKill).toBeLessThan(big.length);

  const blobsDir = join(cacheDir, 'models--org--big', 'blobs');
  const sha = createHash('sha256').update(big).digest('hex');
  const left = await readdir(blobsDir);
  expect(left).toContain(`${sha}.incomplete`);
  expect(left).toContain(`${sha}.incomplete.chunks.json`);

  hub.setFaults({});
  const client = new HubClient({ endpoint: hub.url });
  cleanups.push(() => client.close());
  const res = await downloadSnapshot({ repo: 'org/big' }, { client, cacheDir, chunkSize: CHUNK });
  const got = await readFile(join(res.snapshotDir, 'model.safetensors'));
  expect(createHash('sha256').update(got).digest('hex')).toBe(sha);
  const totalServed = hub.stats.bytesServed.get(key) ?? 0;
  expect(totalServed - big.length).toBeLessThanOrEqual(CHUNK);
  expect(await readdir(blobsDir)).not.toContain(`${sha}.incomplete`);
});
