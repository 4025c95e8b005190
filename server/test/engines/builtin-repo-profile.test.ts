// The built-in engine started from a profile that names a Hugging Face repo id (no path): the
// server finds the GGUF file in the cache snapshot refs/main points at, the engine answers the
// real openai client, and after the model is updated to a new commit the next start loads the
// file of that commit.
import { join } from 'node:path';
import type { Profile, Server } from '@mlx-manager/contract';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/client.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { buildTinyModelFiles, TINY_GGUF_FILE, TINY_MODEL_SENTENCE } from '../fixtures/tiny-model/index.js';
import { login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { plantRepo } from '../hub/plant-cache.js';
import { freePort } from './helpers.js';

const REPO = 'test-org/tiny-GGUF';
let ctx: AppContext;
let client: HubClient;
let cacheDir: string;
let headers: Record<string, string>;
let removeHome: () => Promise<void>;

beforeAll(async () => {
  const tmp = await tempHome();
  removeHome = tmp.remove;
  cacheDir = join(tmp.home, 'hf-cache');
  // Nothing is fetched: the model is already in the cache, and the hub is offline.
  client = new HubClient({ endpoint: 'http://127.0.0.1:9' });
  ctx = await createAppContext(testConfig(tmp.home, { default_port_start: await freePort() }), {
    logger: false,
    webRoot: null,
    models: { hub: { client, cacheDir, offline: true, endpoint: 'http://127.0.0.1:9' } },
    engines: { venvBin: null, pathEnv: '', stopGraceMs: 2000 },
  });
  await register(ctx.app, 'admin@example.com');
  headers = { authorization: `Bearer ${(await login(ctx.app, 'admin@example.com')).token}` };
});

afterAll(async () => {
  await ctx.close();
  await client.close();
  await removeHome();
});

const api = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

describe('built-in engine from a repo-id profile', () => {
  it('starts from the cache snapshot, answers a chat completion, and follows a model update', async () => {
    const v1 = await plantRepo(cacheDir, REPO, new Map<string, Uint8Array | string>([['README.md', '# tiny'], ...buildTinyModelFiles('gguf')]), 'v1');
    const created = await api('POST', '/api/profiles', { name: 'tiny by repo', engine: 'builtin', model: REPO, threads: 1, start_timeout_seconds: 120 });
    expect(created.statusCode).toBe(201);
    const p = created.json<Profile>();
    expect(p).toMatchObject({ model: REPO, model_file: null });

    const started = await api('POST', `/api/servers/${p.id}/start?wait=true`);
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json<Server>().state).toBe('ready');
    const logs = (await api('GET', `/api/servers/${p.id}/logs?lines=200`)).json<{ lines: string[] }>().lines.join('\n');
    expect(logs).toContain(join(v1.snapshotDir, TINY_GGUF_FILE));

    const openai = new OpenAI({ baseURL: `http://127.0.0.1:${p.port}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
    const answer = await openai.chat.completions.create({ model: TINY_GGUF_FILE, messages: [{ role: 'user', content: 'Hello' }] });
    expect(answer.choices[0]?.message.content).toBe(TINY_MODEL_SENTENCE);

    // The model is updated (a new commit, refs/main moved): the next start loads that snapshot.
    const v2 = await plantRepo(cacheDir, REPO, new Map<string, Uint8Array | string>([['README.md', '# tiny v2'], ...buildTinyModelFiles('gguf')]), 'v2');
    expect((await api('POST', `/api/servers/${p.id}/restart?wait=true`)).json<Server>().state).toBe('ready');
    const after = (await api('GET', `/api/servers/${p.id}/logs?lines=400`)).json<{ lines: string[] }>().lines.join('\n');
    expect(after).toContain(join(v2.snapshotDir, TINY_GGUF_FILE));
    expect((await api('POST', `/api/servers/${p.id}/stop`)).json<Server>().state).toBe('stopped');
  }, 300_000);
});
