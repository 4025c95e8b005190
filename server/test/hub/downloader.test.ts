import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink, symlink, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/client.js';
import { repoFolderName } from '../../src/hub/cache-layout.js';
import { downloadSnapshot, type DownloadProgress } from '../../src/hub/downloader.js';
import { HubError } from '../../src/hub/errors.js';
import { startFakeHub, type FakeHub, type FakeRepoInput } from '../fixtures/fake-hub/index.js';
import { layout, pseudoBytes, tempDir } from './helpers.js';

const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 };
const big = pseudoBytes(3 * 1024 * 1024 + 123, 7);
const repo: FakeRepoInput = {
  id: 'org/tiny-4bit',
  tags: ['mlx'],
  files: [
    { path: 'config.json', content: JSON.stringify({ model_type: 'llama', quantization: { bits: 4, group_size: 64 } }) },
    { path: 'model.safetensors', content: big },
    { path: 'tokenizer.json', content: '{"version":"1.0"}' },
    { path: 'nested/deeper/notes.txt', content: 'hello' },
    { path: 'model-q4.gguf', content: pseudoBytes(200_000, 3) },
  ],
};

let hub: FakeHub | undefined;
let client: HubClient | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await client?.close();
  await hub?.close();
  hub = undefined;
  client = undefined;
  for (const c of cleanups.splice(0)) await c();
});

async function setup(repos: FakeRepoInput[] = [repo], token?: string): Promise<{ hub: FakeHub; client: HubClient; cacheDir: string }> {
  hub = await startFakeHub({ repos, ...(token ? { token } : {}), treePageSize: 2 });
  client = new HubClient({ endpoint: hub.url, token: token ?? 'hf_secret' });
  const t = await tempDir('dl');
  cleanups.push(t.cleanup);
  return { hub, client, cacheDir: join(t.dir, 'hub') };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('downloadSnapshot', () => {
  it('writes the huggingface_hub layout: blobs by etag, relative snapshot links, refs/main', async () => {
    const { hub, client, cacheDir } = await setup();
    const progress: DownloadProgress[] = [];
    const res = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, chunkSize: 1024 * 1024, retry: FAST_RETRY, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    const built = hub.repos.get('org/tiny-4bit')!;
    expect(res.commit).toBe(built.commit);
    const repoDir = join(cacheDir, 'models--org--tiny-4bit');
    expect(await readFile(join(repoDir, 'refs', 'main'), 'utf8')).toBe(built.commit);
    const blobs = (await readdir(join(repoDir, 'blobs'))).sort();
    expect(blobs).toEqual(built.files.map((f) => f.etag).sort());
    expect(await readlink(join(repoDir, 'snapshots', built.commit, 'model.safetensors'))).toBe(`../../blobs/${sha(big)}`);
    expect(await readlink(join(repoDir, 'snapshots', built.commit, 'nested/deeper/notes.txt'))).toMatch(/^\.\.\/\.\.\/\.\.\/\.\.\/blobs\/[0-9a-f]{40}$/);
    expect(sha(await readFile(join(res.snapshotDir, 'model.safetensors')))).toBe(sha(big));
    expect(await readFile(join(res.snapshotDir, 'nested/deeper/notes.txt'), 'utf8')).toBe('hello');
    // Big file went in Range requests (at least size / chunkSize of them); the token never reached the file host.
    expect(hub.stats.requests.filter((r) => r.startsWith('FILEHOST GET') && r.includes(sha(big))).length).toBeGreaterThanOrEqual(4);
    expect(hub.stats.authOnFileHost).toBe(0);
    const last = progress.at(-1)!;
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.filesDone).toBe(5);
    expect(progress.every((p, i) => i === 0 || p.bytesDone >= progress[i - 1]!.bytesDone)).toBe(true);
    // No leftovers.
    expect((await layout(repoDir)).filter((e) => /incomplete|tmp/.test(e.path))).toEqual([]);
  });

  it('handles empty files', async () => {
    const { client, cacheDir } = await setup([{ id: 'org/empty', files: [{ path: 'pkg/__init__.py', content: '' }, { path: 'config.json', content: '{}' }] }]);
    const res = await downloadSnapshot({ repo: 'org/empty' }, { client, cacheDir, retry: FAST_RETRY });
    expect(await readFile(join(res.snapshotDir, 'pkg/__init__.py'), 'utf8')).toBe('');
    // git's blob id of the empty file names its blob.
    expect(await readlink(join(res.snapshotDir, 'pkg/__init__.py'))).toBe('../../../blobs/e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });

  it('a second download of the same repo fetches nothing', async () => {
    const { hub, client, cacheDir } = await setup();
    await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, retry: FAST_RETRY });
    hub.resetStats();
    const res = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, retry: FAST_RETRY });
    expect(res.bytesFetched).toBe(0);
    expect(hub.stats.requests.filter((r) => r.includes('resolve') || r.startsWith('FILEHOST'))).toEqual([]);
  });

  it('limits the download to selected files or globs', async () => {
    const { client, cacheDir } = await setup();
    const res = await downloadSnapshot({ repo: 'org/tiny-4bit', include: ['*.gguf', 'config.json'] }, { client, cacheDir, retry: FAST_RETRY });
    expect(res.files.map((f) => f.path).sort()).toEqual(['config.json', 'model-q4.gguf']);
    expect((await readdir(res.snapshotDir)).sort()).toEqual(['config.json', 'model-q4.gguf']);
    await expect(downloadSnapshot({ repo: 'org/tiny-4bit', include: ['*.nothing'] }, { client, cacheDir, retry: FAST_RETRY })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('retries 429 (honouring Retry-After), 500 and dropped connections, then succeeds', async () => {
    const { hub, client, cacheDir } = await setup();
    hub.setFaults({
      status: [
        { match: 'HEAD /org/tiny-4bit/resolve', status: 429, retryAfter: 0, times: 2 },
        { match: `FILEHOST GET /lfs`, status: 500, times: 2 },
      ],
      drop: [{ match: 'model.safetensors', bytes: 100_000, times: 2 }],
    });
    const res = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, chunkSize: 1024 * 1024, retry: FAST_RETRY });
    expect(sha(await readFile(join(res.snapshotDir, 'model.safetensors')))).toBe(sha(big));
    expect(hub.stats.requests.filter((r) => r.startsWith('HEAD')).length).toBeGreaterThan(5);
  });

  it('gives up with a typed error when the hub keeps failing', async () => {
    const { hub, client, cacheDir } = await setup();
    hub.setFaults({ status: [{ match: 'FILEHOST', status: 503 }] });
    const err = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, retry: FAST_RETRY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).kind).toBe('server');
    await expect(lstat(join(cacheDir, repoFolderName('org/tiny-4bit'), 'refs', 'main'))).rejects.toThrow();
  });

  it('refuses a file whose sha256 does not match and discards the partial data', async () => {
    const { hub, client, cacheDir } = await setup();
    hub.setFaults({ corrupt: ['org/tiny-4bit/model.safetensors'] });
    const err = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, chunkSize: 1024 * 1024, retry: FAST_RETRY }).catch((e: unknown) => e);
    expect((err as HubError).kind).toBe('checksum');
    expect((err as Error).message).toMatch(/model\.safetensors: checksum mismatch/);
    const blobs = await readdir(join(cacheDir, 'models--org--tiny-4bit', 'blobs'));
    expect(blobs.filter((b) => b.startsWith(sha(big)))).toEqual([]);
  });

  it('refuses more bytes than announced', async () => {
    const { hub, client, cacheDir } = await setup();
    hub.setFaults({ oversize: ['org/tiny-4bit/config.json'] });
    const err = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, retry: FAST_RETRY }).catch((e: unknown) => e);
    expect((err as HubError).kind).toBe('hostile');
    expect((err as Error).message).toMatch(/more bytes than announced/);
  });

  it('stops the other files as soon as one fails, and releases the repo lock', async () => {
    const { hub, client, cacheDir } = await setup();
    const rate = 512 * 1024;
    hub.setFaults({ throttleBytesPerSec: rate, oversize: ['org/tiny-4bit/tokenizer.json'] });
    const err = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, chunkSize: 256 * 1024, retry: FAST_RETRY }).catch((e: unknown) => e);
    expect((err as HubError).kind).toBe('hostile');
    const served = (): number => hub.stats.bytesServed.get('org/tiny-4bit/model.safetensors') ?? 0;
    const before = served();
    await new Promise((r) => setTimeout(r, 400));
    // At most one throttle step per open connection may still have been in flight.
    expect(served() - before).toBeLessThanOrEqual(8 * (rate / 20));
    expect(await readdir(join(cacheDir, '.locks', 'models--org--tiny-4bit'))).toEqual([]);
  });

  it('checks disk space before fetching anything', async () => {
    const { hub, client, cacheDir } = await setup();
    const err = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, retry: FAST_RETRY, freeSpace: async () => 1000, reserveBytes: 0 }).catch((e: unknown) => e);
    expect((err as HubError).kind).toBe('disk_full');
    expect(hub.stats.requests.filter((r) => r.includes('resolve'))).toEqual([]);
  });

  it('cancels through an AbortSignal and resumes later from the partial data', async () => {
    const { hub, client, cacheDir } = await setup();
    hub.setFaults({ throttleBytesPerSec: 1024 * 1024 });
    const ac = new AbortController();
    const p = downloadSnapshot({ repo: 'org/tiny-4bit' }, {
      client, cacheDir, chunkSize: 512 * 1024, retry: FAST_RETRY, signal: ac.signal, progressIntervalMs: 0, flushMs: 20,
      onProgress: (pr) => { if (pr.bytesFetched > 600_000) ac.abort(); },
    });
    const err = await p.catch((e: unknown) => e);
    expect((err as HubError).kind).toBe('cancelled');
    hub.setFaults({});
    const served = hub.stats.bytesServed.get('org/tiny-4bit/model.safetensors') ?? 0;
    expect(served).toBeGreaterThan(0);
    const res = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, chunkSize: 512 * 1024, retry: FAST_RETRY });
    expect(sha(await readFile(join(res.snapshotDir, 'model.safetensors')))).toBe(sha(big));
    const total = hub.stats.bytesServed.get('org/tiny-4bit/model.safetensors') ?? 0;
    expect(total - big.length).toBeLessThanOrEqual(512 * 1024);
  });

  it('reports 401 for a private repo without token and 403 for a gated one', async () => {
    const { client, cacheDir } = await setup([
      { ...repo, id: 'org/private', private: true },
      { ...repo, id: 'org/gated', gated: true },
    ], 'hf_right');
    const anon = new HubClient({ endpoint: hub!.url });
    cleanups.push(() => anon.close());
    await expect(downloadSnapshot({ repo: 'org/private' }, { client: anon, cacheDir })).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
    await expect(downloadSnapshot({ repo: 'org/gated' }, { client: anon, cacheDir })).rejects.toMatchObject({ kind: 'gated', status: 403 });
    await expect(downloadSnapshot({ repo: 'org/missing' }, { client, cacheDir })).rejects.toMatchObject({ status: 401 });
    await expect(downloadSnapshot({ repo: 'org/gated', revision: 'nope' }, { client, cacheDir })).rejects.toMatchObject({ kind: 'not_found' });
    const ok = await downloadSnapshot({ repo: 'org/gated', include: ['config.json'] }, { client, cacheDir });
    expect(ok.files).toHaveLength(1);
  });
});

describe('cross-process repo lock', () => {
  it('refuses while another live process holds the repo, takes over a dead owner\'s lock', async () => {
    const { client, cacheDir } = await setup();
    const lockDir = join(cacheDir, '.locks', 'models--org--tiny-4bit');
    await mkdir(lockDir, { recursive: true });
    await writeFile(join(lockDir, 'mlx-manager.lock'), String(process.pid));
    await expect(downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir })).rejects.toMatchObject({ kind: 'busy' });
    // A pid that cannot be alive (beyond pid_max) counts as a crashed owner.
    await writeFile(join(lockDir, 'mlx-manager.lock'), '99999999');
    await downloadSnapshot({ repo: 'org/tiny-4bit', include: ['config.json'] }, { client, cacheDir });
    expect(await readdir(lockDir)).toEqual([]);
  });
});

describe('hostile hub', () => {
  const hostile = (path: string): FakeRepoInput => ({ id: 'evil/repo', files: [{ path: 'config.json', content: '{}' }, { path, content: 'pwned' }] });

  for (const path of ['../escape.txt', '/etc/escape.txt', 'a/../../escape.txt', 'a//b', './x', 'a\\..\\b']) {
    it(`refuses the path ${JSON.stringify(path)} and writes nothing outside the cache`, async () => {
      const { client, cacheDir } = await setup([hostile(path)]);
      const parent = join(cacheDir, '..');
      const err = await downloadSnapshot({ repo: 'evil/repo' }, { client, cacheDir }).catch((e: unknown) => e);
      expect((err as HubError).kind).toBe('hostile');
      expect((err as Error).message).toMatch(/unsafe file path/);
      const everything = await layout(parent);
      expect(everything.filter((e) => e.path.includes('escape') || e.path.includes('etc'))).toEqual([]);
    });
  }

  it('refuses to write through a link planted in the snapshot folder', async () => {
    const { hub, client, cacheDir } = await setup([{ id: 'evil/repo', files: [{ path: 'sub/file.txt', content: 'x' }] }]);
    const commit = hub.repos.get('evil/repo')!.commit;
    const outside = join(cacheDir, '..', 'outside');
    await mkdir(outside, { recursive: true });
    const snap = join(cacheDir, 'models--evil--repo', 'snapshots', commit);
    await mkdir(snap, { recursive: true });
    await symlink(outside, join(snap, 'sub'));
    const err = await downloadSnapshot({ repo: 'evil/repo' }, { client, cacheDir }).catch((e: unknown) => e);
    expect((err as HubError).kind).toBe('hostile');
    expect(await readdir(outside)).toEqual([]);
  });

  it('never writes through links planted as partial files or blobs', async () => {
    const { hub, client, cacheDir } = await setup();
    const built = hub.repos.get('org/tiny-4bit')!;
    const outside = join(cacheDir, '..', 'victim.txt');
    await writeFile(outside, 'precious');
    const blobs = join(cacheDir, 'models--org--tiny-4bit', 'blobs');
    await mkdir(blobs, { recursive: true });
    const big = built.files.find((f) => f.path === 'model.safetensors')!;
    const cfg = built.files.find((f) => f.path === 'config.json')!;
    await symlink(outside, join(blobs, `${big.etag}.incomplete`));
    await symlink(outside, join(blobs, `${cfg.etag}.incomplete`));
    await symlink(outside, join(blobs, built.files.find((f) => f.path === 'tokenizer.json')!.etag));
    const res = await downloadSnapshot({ repo: 'org/tiny-4bit' }, { client, cacheDir, chunkSize: 1024 * 1024, retry: FAST_RETRY });
    expect(await readFile(outside, 'utf8')).toBe('precious');
    expect(sha(await readFile(join(res.snapshotDir, 'model.safetensors')))).toBe(big.sha256);
    expect((await lstat(join(blobs, built.files.find((f) => f.path === 'tokenizer.json')!.etag))).isFile()).toBe(true);
  });

  it('refuses an invalid repo id before any request', async () => {
    const { hub, client, cacheDir } = await setup();
    for (const id of ['../x', 'a/b/c', 'a--b/c', '']) {
      await expect(downloadSnapshot({ repo: id }, { client, cacheDir })).rejects.toMatchObject({ kind: 'hostile' });
    }
    expect(hub.stats.requests).toEqual([]);
    await writeFile(join(cacheDir, '..', 'marker'), '');
  });
});
