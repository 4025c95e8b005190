import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppEvent, Download } from '@mlx-manager/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/client.js';
import { createAppContext, startServer, type AppContext } from '../../src/main.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { pseudoBytes } from './helpers.js';
import { syntheticModelRepo } from './synthetic-model.js';

const CHUNK = 256 * 1024;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Env {
  hub: FakeHub;
  home: string;
  cacheDir: string;
  inUse: Set<string>;
}

async function env(): Promise<Env> {
  const hub = await startFakeHub({
    repos: [
      syntheticModelRepo('mlx-community/Tiny-Llama-4bit', 1024 * 1024),
      { ...syntheticModelRepo('mlx-community/Qwen3-8B-4bit', 10), downloads: 900 },
      { id: 'mlx-community/Big-Model', tags: ['mlx'], files: [{ path: 'config.json', content: '{"model_type":"llama"}' }, { path: 'model.safetensors', content: pseudoBytes(2 * 1024 * 1024, 9) }] },
    ],
  });
  const tmp = await tempHome();
  cleanups.push(() => hub.close(), () => tmp.remove());
  return { hub, home: tmp.home, cacheDir: join(tmp.home, 'hf-cache'), inUse: new Set() };
}

async function app(e: Env): Promise<AppContext> {
  const client = new HubClient({ endpoint: e.hub.url });
  const ctx = await createAppContext(testConfig(e.home), {
    logger: false,
    webRoot: null,
    models: {
      hub: { client, cacheDir: e.cacheDir, offline: false, endpoint: e.hub.url },
      isModelInUse: (repo) => e.inUse.has(repo),
      downloader: { chunkSize: CHUNK, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } },
      totalMemoryBytes: 16 * 1024 ** 3,
    },
  });
  cleanups.push(async () => {
    await ctx.close();
    await client.close();
  });
  return ctx;
}

async function auth(ctx: AppContext): Promise<Record<string, string>> {
  await register(ctx.app, 'admin@example.com');
  return { authorization: `Bearer ${(await login(ctx.app, 'admin@example.com')).token}` };
}

/** Resolve with the first event matching `pred` (bounded in time). */
function nextEvent(ctx: AppContext, pred: (e: AppEvent) => boolean, ms = 15_000): Promise<AppEvent> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error('event not seen in time'));
    }, ms);
    const off = ctx.services.events.subscribe(({ event }) => {
      if (pred(event)) {
        clearTimeout(t);
        off();
        resolve(event);
      }
    });
  });
}

const endOf = (repo: string) => (e: AppEvent): boolean => e.type === 'download.end' && e.download.repo === repo;

describe('hub API', () => {
  it('searches with MLX filter, sort, pagination, fit and downloaded flags; detail has characteristics', async () => {
    const e = await env();
    const ctx = await app(e);
    const h = await auth(ctx);
    expect((await ctx.app.inject({ url: '/api/hub/search?q=x' })).statusCode).toBe(401);
    const res = await ctx.app.inject({ url: '/api/hub/search?sort=downloads&limit=2', headers: h });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ models: { id: string; fits: boolean | null; size_bytes: number; is_downloaded: boolean }[]; next_cursor: string | null }>();
    expect(page.models[0]?.id).toBe('mlx-community/Qwen3-8B-4bit');
    expect(page.models[0]?.fits).toBe(true);
    expect(page.next_cursor).not.toBeNull();
    const next = await ctx.app.inject({ url: `/api/hub/search?cursor=${encodeURIComponent(page.next_cursor!)}`, headers: h });
    expect(next.json<{ models: unknown[] }>().models).toHaveLength(1);

    // 16 GiB × 0.8 leaves no room for a 20 GiB repo: `fits=true` drops it and keeps the small one.
    e.hub.addRepo({ id: 'mlx-community/Huge-70B-bf16', tags: ['mlx'], files: [{ path: 'config.json', content: '{}' }] });
    const all = await ctx.app.inject({ url: '/api/hub/search?q=huge', headers: h });
    expect(all.json<{ models: { fits: boolean | null }[] }>().models.map((m) => m.fits)).toEqual([true]);
    const huge = syntheticModelRepo('mlx-community/Huge-Model', 10);
    e.hub.addRepo(huge);
    const built = e.hub.repos.get('mlx-community/Huge-Model')!;
    built.files.push({ ...built.files[0]!, path: 'pad.bin', size: 20 * 1024 ** 3 });
    const both = await ctx.app.inject({ url: '/api/hub/search?q=huge', headers: h });
    expect(both.json<{ models: { id: string; fits: boolean | null }[] }>().models.find((m) => m.id === 'mlx-community/Huge-Model')?.fits).toBe(false);
    const fitting = await ctx.app.inject({ url: '/api/hub/search?q=huge&fits=true', headers: h });
    expect(fitting.json<{ models: { id: string }[] }>().models.map((m) => m.id)).toEqual(['mlx-community/Huge-70B-bf16']);

    const detail = await ctx.app.inject({ url: '/api/hub/models/mlx-community/Qwen3-8B-4bit', headers: h });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      id: 'mlx-community/Qwen3-8B-4bit',
      characteristics: { architecture_family: 'Llama', quantization_bits: 4, max_position_embeddings: 2048 },
      recommended_options: { tool_call_parser: 'qwen3', reasoning_parser: 'qwen3' },
    });
    const missing = await ctx.app.inject({ url: '/api/hub/models/nobody/nothing', headers: h });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ error: { code: 'forbidden' } });

    e.hub.setFaults({ status: [{ match: '/api/models?', status: 429, retryAfter: 30 }] });
    const limited = await ctx.app.inject({ url: '/api/hub/search?q=a', headers: h });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
  });

  it('answers bad input with 4xx in the API envelope', async () => {
    const e = await env();
    const ctx = await app(e);
    const h = await auth(ctx);
    const bad: [string, string, unknown?][] = [
      ['GET', '/api/hub/search?limit=0'],
      ['GET', '/api/hub/search?limit=abc'],
      ['GET', '/api/hub/search?sort=bogus'],
      ['GET', '/api/hub/search?unknown=1'],
      ['GET', '/api/hub/search?cursor=bm90LWEtdXJs'],
      ['GET', '/api/hub/models/a--b/c'],
      ['GET', '/api/hub/models/..%2F..%2Fetc/passwd'],
      ['DELETE', '/api/models/bad..id/x'],
      ['POST', '/api/downloads', {}],
      ['POST', '/api/downloads', { repo: 'not-a-repo' }],
      ['POST', '/api/downloads', { repo: 'a/b', files: ['../../etc/passwd'] }],
      ['POST', '/api/downloads', { repo: 'a/b', files: ['/abs'] }],
      ['POST', '/api/downloads', { repo: 'a/b', revision: '../main' }],
      ['POST', '/api/downloads', { repo: 'a/b', files: [] }],
      ['POST', '/api/downloads', { repo: 'a/b', extra: true }],
      ['POST', '/api/downloads', 'not json'],
    ];
    for (const [method, url, payload] of bad) {
      const res = await ctx.app.inject({
        method: method as 'GET',
        url,
        headers: { ...h, ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}) },
        ...(payload === undefined ? {} : { payload: payload as string }),
      });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
      expect(res.json<{ error: { code: string; message: string } }>().error.message.length).toBeGreaterThan(0);
    }
    expect((await ctx.app.inject({ method: 'DELETE', url: '/api/downloads/nope', headers: h })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/downloads/nope', headers: h })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'DELETE', url: '/api/models/org/absent', headers: h })).statusCode).toBe(404);
  });
});

describe('downloads API', () => {
  it('downloads once per repo, reports progress, lists the model, then deletes it (409 while in use)', async () => {
    const e = await env();
    e.hub.setFaults({ throttleBytesPerSec: 256 * 1024 });
    const ctx = await app(e);
    const h = await auth(ctx);
    const events: AppEvent[] = [];
    ctx.services.events.subscribe(({ event }) => events.push(event));
    const ended = nextEvent(ctx, endOf('mlx-community/Tiny-Llama-4bit'));
    const first = await ctx.app.inject({ method: 'POST', url: '/api/downloads', headers: h, payload: { repo: 'mlx-community/Tiny-Llama-4bit' } });
    expect(first.statusCode).toBe(201);
    const second = await ctx.app.inject({ method: 'POST', url: '/api/downloads', headers: h, payload: { repo: 'mlx-community/Tiny-Llama-4bit' } });
    expect(second.statusCode).toBe(200);
    expect(second.json<Download>().id).toBe(first.json<Download>().id);
    const end = (await ended) as { download: Download };
    expect(end.download).toMatchObject({ state: 'done', percent: 100, error: null });
    expect(end.download.bytes_done).toBe(end.download.bytes_total);

    const progress = events.filter((x): x is { type: 'download.progress'; download: Download } => x.type === 'download.progress');
    expect(progress.some((p) => p.download.state === 'running' && p.download.bytes_done > 0 && p.download.speed_bps > 0)).toBe(true);
    expect(events.some((x) => x.type === 'models.changed')).toBe(true);

    const list = await ctx.app.inject({ url: '/api/models', headers: h });
    const models = list.json<{ models: { id: string; size_bytes: number; characteristics: { quantization_bits?: number } | null; downloading: boolean }[] }>().models;
    expect(models.map((m) => m.id)).toEqual(['mlx-community/Tiny-Llama-4bit']);
    expect(models[0]?.characteristics?.quantization_bits).toBe(4);
    expect(models[0]?.downloading).toBe(false);
    const search = await ctx.app.inject({ url: '/api/hub/search?q=tiny', headers: h });
    expect(search.json<{ models: { is_downloaded: boolean }[] }>().models[0]?.is_downloaded).toBe(true);
    const dl = await ctx.app.inject({ url: '/api/downloads', headers: h });
    expect(dl.json<{ downloads: Download[] }>().downloads[0]?.state).toBe('done');
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/downloads/${first.json<Download>().id}`, headers: h })).statusCode).toBe(409);

    e.inUse.add('mlx-community/Tiny-Llama-4bit');
    const refused = await ctx.app.inject({ method: 'DELETE', url: '/api/models/mlx-community/Tiny-Llama-4bit', headers: h });
    expect(refused.statusCode).toBe(409);
    e.inUse.clear();
    expect((await ctx.app.inject({ method: 'DELETE', url: '/api/models/mlx-community/Tiny-Llama-4bit', headers: h })).statusCode).toBe(204);
    expect((await ctx.app.inject({ url: '/api/models', headers: h })).json<{ models: unknown[] }>().models).toEqual([]);
  });

  it('cancels a running download and removes its partial files', async () => {
    const e = await env();
    e.hub.setFaults({ throttleBytesPerSec: 256 * 1024 });
    const ctx = await app(e);
    const h = await auth(ctx);
    const running = nextEvent(ctx, (x) => x.type === 'download.progress' && x.download.bytes_done > 0);
    const started = await ctx.app.inject({ method: 'POST', url: '/api/downloads', headers: h, payload: { repo: 'mlx-community/Big-Model' } });
    await running;
    const cancelled = await ctx.app.inject({ method: 'DELETE', url: `/api/downloads/${started.json<Download>().id}`, headers: h });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json<Download>().state).toBe('cancelled');
    const blobs = await readdir(join(e.cacheDir, 'models--mlx-community--Big-Model', 'blobs')).catch(() => []);
    expect(blobs.filter((b) => b.includes('incomplete'))).toEqual([]);
    // A new request starts a fresh download.
    const again = await ctx.app.inject({ method: 'POST', url: '/api/downloads', headers: h, payload: { repo: 'mlx-community/Big-Model', files: ['config.json'] } });
    expect(again.statusCode).toBe(201);
    expect(again.json<Download>().id).not.toBe(started.json<Download>().id);
  });

  it('reports a failed download with the hub\'s reason', async () => {
    const e = await env();
    e.hub.setFaults({ status: [{ match: 'FILEHOST', status: 500 }] });
    const ctx = await app(e);
    const h = await auth(ctx);
    const ended = nextEvent(ctx, endOf('mlx-community/Big-Model'));
    await ctx.app.inject({ method: 'POST', url: '/api/downloads', headers: h, payload: { repo: 'mlx-community/Big-Model' } });
    const end = (await ended) as { download: Download };
    expect(end.download.state).toBe('failed');
    expect(end.download.error).toMatch(/hub error 500/);
  });

  it('resumes an unfinished download after the manager restarts, and streams events over SSE', async () => {
    const e = await env();
    e.hub.setFaults({ throttleBytesPerSec: 512 * 1024 });
    const first = await app(e);
    const h = await auth(first);
    const running = nextEvent(first, (x) => x.type === 'download.progress' && x.download.bytes_done > 300_000);
    await first.app.inject({ method: 'POST', url: '/api/downloads', headers: h, payload: { repo: 'mlx-community/Big-Model' } });
    await running;
    await first.close();
    const servedBefore = e.hub.stats.bytesServed.get('mlx-community/Big-Model/model.safetensors') ?? 0;
    expect(servedBefore).toBeGreaterThan(0);

    e.hub.setFaults({});
    const tmpHomeConfig = testConfig(e.home);
    const client = new HubClient({ endpoint: e.hub.url });
    cleanups.push(() => client.close());
    const server = await startServer(tmpHomeConfig, {
      logger: false,
      webRoot: null,
      models: { hub: { client, cacheDir: e.cacheDir, offline: false, endpoint: e.hub.url }, downloader: { chunkSize: CHUNK } },
    });
    cleanups.push(() => server.close());
    const { cookie } = await login(server.app, 'admin@example.com');
    // SSE over real HTTP with the session cookie (what the browser's EventSource sends).
    const ac = new AbortController();
    const res = await fetch(`${server.url}/api/events`, { headers: { cookie }, signal: ac.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const deadline = Date.now() + 20_000;
    while (!text.includes('"state":"done"') && Date.now() < deadline) {
      const { value, done } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined; done: true }>((r) => setTimeout(() => r({ value: undefined, done: true }), deadline - Date.now())),
      ]);
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    ac.abort();
    expect(text).toContain('event: download.end');
    const snap = join(e.cacheDir, 'models--mlx-community--Big-Model', 'snapshots', e.hub.repos.get('mlx-community/Big-Model')!.commit);
    const got = await readFile(join(snap, 'model.safetensors'));
    expect(createHash('sha256').update(got).digest('hex')).toBe(e.hub.repos.get('mlx-community/Big-Model')!.files[1]!.sha256);
    const total = e.hub.stats.bytesServed.get('mlx-community/Big-Model/model.safetensors') ?? 0;
    expect(total).toBeLessThan(2 * got.length);
  });
});
