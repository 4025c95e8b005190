import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { deleteRepo, deleteSnapshot } from '../../src/hub/cache-delete.js';
import { scanCache } from '../../src/hub/cache-scan.js';
import { HubClient } from '../../src/hub/client.js';
import { downloadSnapshot } from '../../src/hub/downloader.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { tempDir } from './helpers.js';
import { syntheticModelRepo } from './synthetic-model.js';

let hub: FakeHub | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await hub?.close();
  for (const c of cleanups.splice(0)) await c();
});

/** A repo laid out by "another tool": hand-written blobs, links and refs, a name with `--`. */
async function foreignRepo(cacheDir: string): Promise<void> {
  const repoDir = join(cacheDir, 'models--someone--odd--name');
  const commit = '1'.repeat(40);
  await mkdir(join(repoDir, 'blobs'), { recursive: true });
  await mkdir(join(repoDir, 'snapshots', commit), { recursive: true });
  await mkdir(join(repoDir, 'refs'), { recursive: true });
  await writeFile(join(repoDir, 'blobs', 'a'.repeat(40)), '{"model_type":"gemma2","vision_config":{}}');
  await symlink(`../../blobs/${'a'.repeat(40)}`, join(repoDir, 'snapshots', commit, 'config.json'));
  await writeFile(join(repoDir, 'refs', 'main'), commit);
}

it('scans our downloads and other tools\' repos; deletes a snapshot keeping shared blobs, then the repo', async () => {
  const v1 = syntheticModelRepo('org/model', 100_000);
  hub = await startFakeHub({ repos: [v1] });
  const client = new HubClient({ endpoint: hub.url });
  cleanups.push(() => client.close());
  const t = await tempDir('scan');
  cleanups.push(t.cleanup);
  const cacheDir = join(t.dir, 'hub');
  const first = await downloadSnapshot({ repo: 'org/model' }, { client, cacheDir });
  // A new commit that changes only the README: all other blobs are shared.
  hub.addRepo({ ...v1, files: v1.files.map((f) => (f.path === 'docs/README.md' ? { ...f, content: '# v2\n' } : f)) });
  const second = await downloadSnapshot({ repo: 'org/model' }, { client, cacheDir });
  expect(second.commit).not.toBe(first.commit);
  await foreignRepo(cacheDir);
  await mkdir(join(cacheDir, 'models--empty--repo', 'snapshots'), { recursive: true });

  const list = await scanCache(cacheDir);
  expect(list.map((r) => r.repo_id)).toEqual(['org/model', 'someone/odd--name']);
  const ours = list[0]!;
  expect(ours.commit).toBe(second.commit);
  expect(ours.file_count).toBe(5);
  expect(ours.size_bytes).toBe(second.bytesTotal);
  expect(ours.config?.model_type).toBe('llama');
  expect(ours.refs.main).toBe(second.commit);
  expect(list[1]!.config).toEqual({ model_type: 'gemma2', vision_config: {} });

  const blobsBefore = (await readdir(join(cacheDir, 'models--org--model', 'blobs'))).length;
  const freed = await deleteSnapshot(cacheDir, 'org/model', first.commit);
  expect(freed).toBe(Buffer.byteLength('# tiny\n'));
  expect((await readdir(join(cacheDir, 'models--org--model', 'blobs'))).length).toBe(blobsBefore - 1);
  expect((await scanCache(cacheDir))[0]!.size_bytes).toBe(second.bytesTotal);

  expect(await deleteRepo(cacheDir, 'org/model')).toBe(true);
  expect(await deleteRepo(cacheDir, 'org/model')).toBe(false);
  expect((await scanCache(cacheDir)).map((r) => r.repo_id)).toEqual(['someone/odd--name']);
});

it('search, pagination, info, config and typed errors from the client', async () => {
  hub = await startFakeHub({
    repos: [
      { ...syntheticModelRepo('mlx-community/A-4bit', 10), downloads: 5 },
      { ...syntheticModelRepo('mlx-community/B-8bit', 10), downloads: 50 },
      { ...syntheticModelRepo('other/C', 10), downloads: 500 },
      { id: 'gguf/D', tags: ['gguf'], files: [{ path: 'd.gguf', content: 'x' }] },
    ],
  });
  const client = new HubClient({ endpoint: hub.url });
  cleanups.push(() => client.close());
  const p1 = await client.search({ sort: 'downloads', limit: 2 });
  expect(p1.models.map((m) => m.id)).toEqual(['other/C', 'mlx-community/B-8bit']);
  expect(p1.nextCursor).toBeDefined();
  const p2 = await client.search({ cursor: p1.nextCursor });
  expect(p2.models.map((m) => m.id)).toEqual(['mlx-community/A-4bit']);
  expect(p2.nextCursor).toBeUndefined();
  expect((await client.search({ author: 'mlx-community', q: 'b-8' })).models.map((m) => m.id)).toEqual(['mlx-community/B-8bit']);
  expect((await client.search({ mlx: false, filters: ['gguf'] })).models.map((m) => m.id)).toEqual(['gguf/D']);
  await expect(client.search({ cursor: Buffer.from('http://evil.example/api/models?x').toString('base64url') })).rejects.toMatchObject({ status: 400 });

  const info = await client.modelInfo('mlx-community/A-4bit');
  expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
  expect(info.siblings?.find((s) => s.rfilename === 'model.safetensors')?.lfs?.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect((await client.fetchConfig('mlx-community/A-4bit'))?.model_type).toBe('llama');
  expect(await client.fetchConfig('gguf/D')).toBeUndefined();
  await expect(client.modelInfo('nobody/nothing')).rejects.toMatchObject({ kind: 'unauthorized' });

  hub.setFaults({ status: [{ match: '/api/models?', status: 429, retryAfter: 7 }] });
  await expect(client.search({ q: 'x' })).rejects.toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 7 });
  const dead = new HubClient({ endpoint: 'http://127.0.0.1:9' });
  cleanups.push(() => dead.close());
  await expect(dead.search({})).rejects.toMatchObject({ kind: 'network' });
});
