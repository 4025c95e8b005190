// GGUF profiles by repo id: the files endpoint, the model card endpoint, profile validation of
// `model_file` (hostile names refused), and resolution of the file in the snapshot refs/main
// points at — also after the model is updated to a new commit.
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalModelFiles, ModelReadme, Profile } from '@mlx-manager/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/client.js';
import { ModelFileError, resolveModelFile } from '../../src/hub/model-file.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { plantRepo } from './plant-cache.js';

let hub: FakeHub;
let client: HubClient;
let ctx: AppContext;
let cacheDir: string;
let removeHome: () => Promise<void>;
let headers: Record<string, string>;

const README = '# Tiny GGUF\n\n<img src=x onerror="alert(1)">\n\nRuns **anywhere**.\n';

beforeAll(async () => {
  hub = await startFakeHub({
    repos: [
      { id: 'org/tiny-GGUF', tags: ['gguf'], files: [{ path: 'README.md', content: README }, { path: 'tiny-Q4_K_M.gguf', content: 'GGUF1' }] },
      { id: 'org/no-card', tags: ['mlx'], files: [{ path: 'config.json', content: '{}' }] },
      { id: 'org/huge-card', tags: ['mlx'], files: [{ path: 'README.md', content: 'x'.repeat(600 * 1024) }] },
    ],
  });
  client = new HubClient({ endpoint: hub.url });
  const tmp = await tempHome();
  removeHome = tmp.remove;
  cacheDir = join(tmp.home, 'hf-cache');
  ctx = await createAppContext(testConfig(tmp.home), {
    logger: false,
    webRoot: null,
    models: { hub: { client, cacheDir, offline: false, endpoint: hub.url }, totalMemoryBytes: 16 * 1024 ** 3 },
  });
  await register(ctx.app, 'admin@example.com');
  headers = { authorization: `Bearer ${(await login(ctx.app, 'admin@example.com')).token}` };
  await plantRepo(cacheDir, 'org/one-GGUF', new Map([['README.md', 'hi'], ['one-Q8_0.gguf', 'GGUF-one'], ['mmproj-f16.gguf', 'proj']]));
  await plantRepo(cacheDir, 'org/two-GGUF', new Map([['two-Q4_K_M.gguf', 'GGUF-a'], ['Q8/two-Q8_0-00001-of-00002.gguf', 'GGUF-b1'], ['Q8/two-Q8_0-00002-of-00002.gguf', 'GGUF-b2']]));
});

afterAll(async () => {
  await ctx.close();
  await client.close();
  await hub.close();
  await removeHome();
});

const get = (url: string) => ctx.app.inject({ method: 'GET', url, headers });
const create = (payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: '/api/profiles', headers, payload });

describe('GET /api/models/{org}/{name}/files', () => {
  it('lists the snapshot files with sizes, quantizations and which GGUFs can be loaded', async () => {
    const res = await get('/api/models/org/two-GGUF/files');
    expect(res.statusCode).toBe(200);
    const files = res.json<LocalModelFiles>();
    expect(files.repo).toBe('org/two-GGUF');
    expect(files.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(files.files).toEqual([
      { path: 'Q8/two-Q8_0-00001-of-00002.gguf', size_bytes: 7, loadable_gguf: true, quantization: 'Q8_0' },
      { path: 'Q8/two-Q8_0-00002-of-00002.gguf', size_bytes: 7, loadable_gguf: false, quantization: 'Q8_0' },
      { path: 'two-Q4_K_M.gguf', size_bytes: 6, loadable_gguf: true, quantization: 'Q4_K_M' },
    ]);
  });

  it('answers 404 for a repo not downloaded, 400 for a bad repo id, 401 without a session', async () => {
    expect((await get('/api/models/org/absent/files')).statusCode).toBe(404);
    for (const url of ['/api/models/org/..%2F..%2Fetc/files', '/api/models/..%2F/x/files', '/api/models/org/a--b/files', '/api/models/-org/x/files']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
    expect((await ctx.app.inject({ url: '/api/models/org/one-GGUF/files' })).statusCode).toBe(401);
  });
});

describe('GET /api/hub/models/{org}/{name}/readme', () => {
  it('returns the model card as Markdown, untouched (the browser sanitises it)', async () => {
    const res = await get('/api/hub/models/org/tiny-GGUF/readme');
    expect(res.statusCode).toBe(200);
    expect(res.json<ModelReadme>()).toEqual({ repo: 'org/tiny-GGUF', markdown: README, truncated: false });
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  it('says null for a repo without a card, cuts a huge one, the detail’s answer for an unknown repo, 400 for a bad id', async () => {
    expect((await get('/api/hub/models/org/no-card/readme')).json<ModelReadme>()).toEqual({ repo: 'org/no-card', markdown: null, truncated: false });
    const huge = (await get('/api/hub/models/org/huge-card/readme')).json<ModelReadme>();
    expect(huge.truncated).toBe(true);
    expect(huge.markdown?.length).toBe(512 * 1024);
    // The hub answers 401 for a repo it does not show (missing or private): the same 403 as the detail.
    const unknown = await get('/api/hub/models/org/unknown/readme');
    expect(unknown.statusCode).toBe((await get('/api/hub/models/org/unknown')).statusCode);
    expect(unknown.statusCode).toBe(403);
    expect((await get('/api/hub/models/o..rg/x/readme')).statusCode).toBe(400);
  });
});

describe('GGUF profiles by repo id', () => {
  it('saves a repo id with a file of its snapshot, or none', async () => {
    const res = await create({ name: 'one', engine: 'builtin', model: 'org/one-GGUF', model_file: 'one-Q8_0.gguf' });
    expect(res.statusCode).toBe(201);
    expect(res.json<Profile>()).toMatchObject({ model: 'org/one-GGUF', model_file: 'one-Q8_0.gguf' });
    const again = await ctx.app.inject({ method: 'GET', url: `/api/profiles/${res.json<Profile>().id}`, headers });
    expect(again.json<Profile>().model_file).toBe('one-Q8_0.gguf');
    expect((await create({ name: 'one auto', engine: 'llama-server', model: 'org/one-GGUF' })).statusCode).toBe(201);
  });

  it('refuses hostile or misplaced file names with a model_file field error', async () => {
    const cases: Record<string, unknown>[] = [
      { engine: 'builtin', model: 'org/one-GGUF', model_file: '../x.gguf' },
      { engine: 'builtin', model: 'org/one-GGUF', model_file: '../../../../etc/passwd.gguf' },
      { engine: 'builtin', model: 'org/one-GGUF', model_file: '/etc/x.gguf' },
      { engine: 'builtin', model: 'org/one-GGUF', model_file: 'a\\..\\x.gguf' },
      { engine: 'builtin', model: 'org/one-GGUF', model_file: '--model.gguf' },
      { engine: 'builtin', model: 'org/one-GGUF', model_file: 'x.safetensors' },
      { engine: 'builtin', model: 'org/one-GGUF', model_file: 42 },
      { engine: 'mlx-lm', model: 'org/one-GGUF', model_file: 'one-Q8_0.gguf' },
      { engine: 'builtin', model: '/models/x.gguf', model_file: 'one-Q8_0.gguf' },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await create({ name: `bad ${i}`, ...c });
      expect(res.statusCode, JSON.stringify(c)).toBe(400);
      const err = res.json<{ error: { code: string; message: string; details: { field: string }[] } }>().error;
      expect(err.code).toBe('validation_failed');
      expect(err.details.map((d) => d.field)).toContain('model_file');
    }
    const notGguf = await create({ name: 'bad path', engine: 'builtin', model: '/models/x.bin' });
    expect(notGguf.statusCode).toBe(400);
    expect(notGguf.json<{ error: { message: string } }>().error.message).toMatch(/\.gguf/);
  });

  it('start of a repo that is not downloaded says so (409, reason for the web app)', async () => {
    const p = (await create({ name: 'absent', engine: 'builtin', model: 'org/absent-GGUF' })).json<Profile>();
    const res = await ctx.app.inject({ method: 'POST', url: `/api/servers/${p.id}/start`, headers });
    expect(res.statusCode).toBe(409);
    const err = res.json<{ error: { message: string; details: { reason: string; repo: string } } }>().error;
    expect(err.message).toMatch(/model not downloaded: org\/absent-GGUF/);
    expect(err.details).toMatchObject({ reason: 'model_not_downloaded', repo: 'org/absent-GGUF' });
  });

  it('start with several files and none chosen lists them', async () => {
    const p = (await create({ name: 'two', engine: 'builtin', model: 'org/two-GGUF' })).json<Profile>();
    const res = await ctx.app.inject({ method: 'POST', url: `/api/servers/${p.id}/start`, headers });
    expect(res.statusCode).toBe(409);
    const err = res.json<{ error: { details: { reason: string; available: string[] } } }>().error;
    expect(err.details.reason).toBe('model_file_not_chosen');
    expect(err.details.available).toEqual(['Q8/two-Q8_0-00001-of-00002.gguf', 'two-Q4_K_M.gguf']);
  });
});

describe('resolving the file at start', () => {
  it('finds the only GGUF, or the chosen one, in the snapshot refs/main points at — also after an update', async () => {
    const v1 = await plantRepo(cacheDir, 'org/moving-GGUF', new Map([['m-Q4_K_M.gguf', 'v1']]), 'v1');
    expect(await resolveModelFile(cacheDir, 'org/moving-GGUF', null)).toBe(join(v1.snapshotDir, 'm-Q4_K_M.gguf'));
    const v2 = await plantRepo(cacheDir, 'org/moving-GGUF', new Map([['m-Q4_K_M.gguf', 'v2'], ['m-Q8_0.gguf', 'v2-8']]), 'v2');
    expect(v2.commit).not.toBe(v1.commit);
    expect(await resolveModelFile(cacheDir, 'org/moving-GGUF', 'm-Q4_K_M.gguf')).toBe(join(v2.snapshotDir, 'm-Q4_K_M.gguf'));
    await expect(resolveModelFile(cacheDir, 'org/moving-GGUF', null)).rejects.toMatchObject({ reason: 'choose_file' });
  });

  it('reports a missing file, a missing repo, and never follows a link out of the repo', async () => {
    await expect(resolveModelFile(cacheDir, 'org/one-GGUF', 'gone-Q2_K.gguf')).rejects.toMatchObject({ reason: 'file_missing', available: ['one-Q8_0.gguf'] });
    await expect(resolveModelFile(cacheDir, 'org/nothing', null)).rejects.toBeInstanceOf(ModelFileError);
    await expect(resolveModelFile(cacheDir, 'org/nothing', null)).rejects.toMatchObject({ reason: 'not_downloaded' });
    await expect(resolveModelFile(cacheDir, 'org/one-GGUF', '../../x.gguf')).rejects.toMatchObject({ reason: 'file_missing' });
    // A snapshot entry planted by another tool that points outside the repo folder.
    const outside = join(cacheDir, 'secret.gguf');
    await writeFile(outside, 'secret');
    const evil = await plantRepo(cacheDir, 'org/evil-GGUF', new Map([['ok.gguf', 'x']]));
    await symlink(outside, join(evil.snapshotDir, 'escape.gguf'));
    await expect(resolveModelFile(cacheDir, 'org/evil-GGUF', 'escape.gguf')).rejects.toMatchObject({ reason: 'file_missing' });
    // A repo whose only GGUF is a projector has nothing to load.
    await plantRepo(cacheDir, 'org/proj-GGUF', new Map([['mmproj-f16.gguf', 'p']]));
    await expect(resolveModelFile(cacheDir, 'org/proj-GGUF', null)).rejects.toMatchObject({ reason: 'file_missing' });
    await mkdir(join(cacheDir, 'models--org--empty', 'snapshots'), { recursive: true });
    await expect(resolveModelFile(cacheDir, 'org/empty', null)).rejects.toMatchObject({ reason: 'not_downloaded' });
    await rm(outside);
  });
});
