// Profiles and servers API end to end: real SQLite file, the real app (inject), the fake engines
// spawned by the real supervisor; events on the bus; bad input answered with clear 4xx.
import { createServer, type Server as NetServer } from 'node:net';
import type { AppEvent, Profile, Server } from '@mlx-manager/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/engines/process-tree.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { canSee } from '../../src/services/event-bus.js';
import { body, login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { installFakeEngines } from '../fixtures/fake-engine/index.js';
import { eventually, freePort } from './helpers.js';

let ctx: AppContext;
let headers: Record<string, string>;
let removeHome: () => Promise<void>;
let portStart: number;
let blocker: NetServer;

beforeAll(async () => {
  const tmp = await tempHome();
  removeHome = tmp.remove;
  const bin = await installFakeEngines(tmp.home);
  portStart = await freePort();
  ctx = await createAppContext(testConfig(tmp.home, { default_port_start: portStart }), {
    logger: false,
    webRoot: null,
    engines: { venvBin: bin, pathEnv: '', stopGraceMs: 1000, metricsIntervalMs: 300 },
  });
  await register(ctx.app, 'admin@example.com');
  headers = { authorization: `Bearer ${(await login(ctx.app, 'admin@example.com')).token}` };
  blocker = createServer();
});

afterAll(async () => {
  blocker.close();
  await ctx.close();
  await removeHome();
});

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

function nextEvent(pred: (e: AppEvent) => boolean, ms = 15_000): Promise<AppEvent> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (off(), reject(new Error('event not seen in time'))), ms);
    const off = ctx.services.events.subscribe(({ event }) => {
      if (!pred(event)) return;
      clearTimeout(t);
      off();
      resolve(event);
    });
  });
}

const strictlyIncreasing = (values: number[]) => values.every((v, i) => i === 0 || v > (values[i - 1] as number));

describe('profiles API', () => {
  it('creates with defaults, an auto-assigned port and parsers from the model family', async () => {
    const res = await api('POST', '/api/profiles', { name: 'Qwen', engine: 'mlx-openai-server', model: 'mlx-community/Qwen3-8B-4bit' });
    expect(res.statusCode).toBe(201);
    const p = body<Profile>(res);
    expect(p).toMatchObject({ name: 'Qwen', host: '127.0.0.1', model_type: 'lm', tool_call_parser: 'qwen3', reasoning_parser: 'qwen3', start_timeout_seconds: 300 });
    expect(p.port).toBeGreaterThanOrEqual(portStart);
    // An explicit null is a deliberate "no parser", not pre-filled.
    const none = body<Profile>(await api('POST', '/api/profiles', { name: 'Qwen raw', engine: 'mlx-openai-server', model: 'mlx-community/Qwen3-8B-4bit', tool_call_parser: null }));
    expect(none.tool_call_parser).toBeNull();
    expect(none.port).not.toBe(p.port);
  });

  it('skips ports bound on the machine when assigning, and refuses them when given', async () => {
    const list = body<{ profiles: Profile[] }>(await api('GET', '/api/profiles')).profiles;
    const next = Math.max(...list.map((p) => p.port)) + 1;
    await new Promise<void>((r) => blocker.listen(next, '127.0.0.1', () => r()));
    const auto = body<Profile>(await api('POST', '/api/profiles', { name: 'Auto', engine: 'mlx-lm', model: 'org/auto' }));
    expect(auto.port).toBeGreaterThan(next);
    const refused = await api('POST', '/api/profiles', { name: 'Bound', engine: 'mlx-lm', model: 'org/bound', port: next });
    expect(refused.statusCode).toBe(409);
    expect(body<{ error: { message: string } }>(refused).error.message).toContain('in use on this machine');
    const clash = await api('POST', '/api/profiles', { name: 'Clash', engine: 'mlx-lm', model: 'org/clash', port: auto.port });
    expect(clash.statusCode).toBe(409);
    expect(body<{ error: { message: string } }>(clash).error.message).toContain('profile "Auto"');
  });

  it('answers bad input with clear 4xx in the API envelope', async () => {
    const cases: [string, 'POST' | 'PATCH' | 'GET' | 'DELETE', string, unknown, number, RegExp][] = [
      ['missing fields', 'POST', '/api/profiles', {}, 400, /name|engine|model/],
      ['unknown engine', 'POST', '/api/profiles', { name: 'x', engine: 'ollama', model: 'org/m' }, 400, /engine/],
      ['unknown field', 'POST', '/api/profiles', { name: 'x', engine: 'mlx-lm', model: 'org/m', colour: 'red' }, 400, /colour|unknown/],
      ['flag-like model', 'POST', '/api/profiles', { name: 'x', engine: 'mlx-lm', model: '--evil' }, 400, /repo id/],
      ['GGUF engine with a path that is not a .gguf', 'POST', '/api/profiles', { name: 'x', engine: 'builtin', model: '/models/m.bin' }, 400, /gguf/i],
      ['GGUF file escaping the snapshot', 'POST', '/api/profiles', { name: 'x', engine: 'builtin', model: 'org/m', model_file: '../x.gguf' }, 400, /model_file/],
      ['custom without command', 'POST', '/api/profiles', { name: 'x', engine: 'custom', model: 'org/m' }, 400, /command/],
      ['port out of range', 'POST', '/api/profiles', { name: 'x', engine: 'mlx-lm', model: 'org/m', port: 70000 }, 400, /port/],
      ['bad host', 'POST', '/api/profiles', { name: 'x', engine: 'mlx-lm', model: 'org/m', host: 'a b; rm' }, 400, /host/],
      ['bad env name', 'POST', '/api/profiles', { name: 'x', engine: 'mlx-lm', model: 'org/m', env: { 'A-B': '1' } }, 400, /env/],
      ['patch wrong type', 'PATCH', '/api/profiles/none', { port: 'x' }, 400, /port/],
      ['unknown profile', 'GET', '/api/profiles/nope', undefined, 404, /not found/],
      ['delete unknown', 'DELETE', '/api/profiles/nope', undefined, 404, /not found/],
      ['duplicate unknown', 'POST', '/api/profiles/nope/duplicate', {}, 404, /not found/],
      ['start unknown', 'POST', '/api/servers/nope/start', undefined, 404, /not found/],
      ['logs bad lines', 'GET', '/api/servers/nope/logs?lines=abc', undefined, 400, /lines/],
      ['stop bad force', 'POST', '/api/servers/nope/stop?force=maybe', undefined, 400, /force/],
    ];
    for (const [label, method, url, payload, status, message] of cases) {
      const res = await api(method, url, payload);
      expect(res.statusCode, label).toBe(status);
      const err = body<{ error: { code: string; message: string; details?: unknown } }>(res).error;
      expect(`${err.message} ${JSON.stringify(err.details ?? '')}`, label).toMatch(message);
    }
    const dup = await api('POST', '/api/profiles', { name: 'Qwen', engine: 'mlx-lm', model: 'org/m' });
    expect(dup.statusCode).toBe(409);
    const anon = await ctx.app.inject({ method: 'GET', url: '/api/profiles' });
    expect(anon.statusCode).toBe(401);
  });

  it('lets only admins choose what program runs (custom command, executable, args, env)', async () => {
    await register(ctx.app, 'user@example.com');
    const users = body<{ users: { id: string; email: string }[] }>(await api('GET', '/api/users')).users;
    const userId = users.find((u) => u.email === 'user@example.com')?.id as string;
    expect((await api('PATCH', `/api/users/${userId}`, { status: 'approved' })).statusCode).toBe(200);
    const userHeaders = { authorization: `Bearer ${(await login(ctx.app, 'user@example.com')).token}` };
    const asUser = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) => ctx.app.inject({ method, url, headers: userHeaders, payload });
    const custom = await asUser('POST', '/api/profiles', { name: 'evil', engine: 'custom', model: 'org/m', command: ['/bin/sh', '-c', 'id'] });
    expect(custom.statusCode).toBe(403);
    expect(body<{ error: { message: string } }>(custom).error.message).toContain('Only an admin may set a custom engine, command');
    const exe = await asUser('POST', '/api/profiles', { name: 'evil2', engine: 'mlx-lm', model: 'org/m', executable: '/tmp/x' });
    expect(exe.statusCode).toBe(403);
    const plain = await asUser('POST', '/api/profiles', { name: 'fine', engine: 'mlx-lm', model: 'org/fine', env: {} });
    expect(plain.statusCode).toBe(201);
    const patch = await asUser('PATCH', `/api/profiles/${body<Profile>(plain).id}`, { env: { LD_PRELOAD: '/tmp/x.so' } });
    expect(patch.statusCode).toBe(403);
  });

  it('updates (null clears), duplicates with a new port, lists', async () => {
    const p = body<Profile>(await api('POST', '/api/profiles', { name: 'Edit me', engine: 'mlx-openai-server', model: 'org/glm-4', description: 'line 1\nline 2', context_length: 4096 }));
    const patched = body<Profile>(await api('PATCH', `/api/profiles/${p.id}`, { context_length: null, system_prompt: 'Be brief.' }));
    expect(patched).toMatchObject({ context_length: null, system_prompt: 'Be brief.', description: 'line 1\nline 2' });
    const copy = await api('POST', `/api/profiles/${p.id}/duplicate`, {});
    expect(copy.statusCode).toBe(201);
    expect(body<Profile>(copy)).toMatchObject({ name: 'Edit me (copy)', system_prompt: 'Be brief.', start_on_boot: false });
    expect(body<Profile>(copy).port).not.toBe(p.port);
  });
});

describe('servers API', () => {
  it('starts (202 then events), reports metrics, tails logs, stops; state for every profile', async () => {
    const p = body<Profile>(await api('POST', '/api/profiles', { name: 'Fake llama', engine: 'llama-server', model: '/models/tiny.gguf', env: { FAKE_LOAD_MS: '300' } }));
    const ready = nextEvent((e) => e.type === 'server.changed' && e.server.profile_id === p.id && e.server.state === 'ready');
    const res = await api('POST', `/api/servers/${p.id}/start`);
    expect(res.statusCode).toBe(202);
    expect(body<Server>(res).state).toBe('starting');
    await ready;
    const metrics = await nextEvent((e) => e.type === 'servers.metrics' && e.servers.some((s) => s.profile_id === p.id && s.memory_bytes > 0));
    expect(metrics.type === 'servers.metrics' && metrics.machine.total_bytes).toBeGreaterThan(0);
    const list = body<{ servers: Server[] }>(await api('GET', '/api/servers')).servers;
    const mine = list.find((s) => s.profile_id === p.id);
    expect(mine).toMatchObject({ state: 'ready', profile_name: 'Fake llama' });
    expect(mine?.memory_bytes).toBeGreaterThan(0);
    expect(list.find((s) => s.profile_name === 'Qwen')?.state).toBe('stopped');
    const logs = body<{ lines: string[] }>(await api('GET', `/api/servers/${p.id}/logs?lines=50`)).lines;
    expect(logs.join('\n')).toContain('model loaded');
    const pid = mine?.pid as number;
    const stopped = await api('POST', `/api/servers/${p.id}/stop`);
    expect(body<Server>(stopped).state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
  });

  it('start?wait=true of an engine that is not installed says so and how to get it', async () => {
    const p = body<Profile>(await api('POST', '/api/profiles', { name: 'No engine', engine: 'vllm-mlx', model: 'org/m', executable: '/nonexistent/vllm-mlx' }));
    const res = await api('POST', `/api/servers/${p.id}/start?wait=true`);
    expect(res.statusCode).toBe(503);
    const err = body<{ error: { message: string; details: { reason: string; cause: string; hint: string } } }>(res).error;
    expect(err.message).toMatch(/^vllm-mlx not found at \/nonexistent\/vllm-mlx: to install it, .*pip install vllm-mlx/);
    expect(err.details).toMatchObject({ reason: 'engine_not_found', cause: 'engine not installed' });
    expect(body<Server>(await api('GET', `/api/servers/${p.id}`))).toMatchObject({ state: 'failed', failure_cause: 'engine not installed', failure_hint: expect.stringMatching(/pip install vllm-mlx/) as unknown as string });
  });

  it('start?wait=true reports a failed start with the log excerpt', async () => {
    const p = body<Profile>(await api('POST', '/api/profiles', { name: 'Crashy', engine: 'vllm-mlx', model: 'org/crashy', env: { FAKE_CRASH_AT_START: '1' } }));
    const res = await api('POST', `/api/servers/${p.id}/start?wait=true`);
    expect(res.statusCode).toBe(502);
    const err = body<{ error: { message: string; details: { reason: string; log_excerpt: string[] } } }>(res).error;
    expect(err.message).toContain('exited with code 1 while starting');
    expect(err.details.reason).toBe('crashed');
    expect(err.details.log_excerpt.join('\n')).toContain('fake crash at start');
    const server = body<Server>(await api('GET', `/api/servers/${p.id}`));
    expect(server).toMatchObject({ state: 'failed', exit_code: 1 });
  });

  it('orders every transition with a revision that only grows, the same in events and GET /api/servers', async () => {
    const bootClockRevision = Date.now() * 1000;
    const seen: Server[] = [];
    // What the admin's event stream carries (each change also goes, without engine output, to others).
    const admin = { id: 'admin', isAdmin: true };
    const off = ctx.services.events.subscribe(({ event, audience }) => {
      if (event.type === 'server.changed' && canSee(audience, admin)) seen.push(event.server);
    });
    const revisions = (id: string) => seen.filter((s) => s.profile_id === id).map((s) => s.revision);
    const states = (id: string) => seen.filter((s) => s.profile_id === id).map((s) => s.state);
    const listed = async (id: string) => body<{ servers: Server[] }>(await api('GET', '/api/servers')).servers.find((s) => s.profile_id === id);
    try {
      const crashy = body<Profile>(await api('POST', '/api/profiles', { name: 'Revisions crash', engine: 'mlx-lm', model: 'org/rev-crash', env: { FAKE_CRASH_AT_START: '1' } }));
      const before = (await listed(crashy.id))?.revision ?? Number.NaN;
      expect((await api('POST', `/api/servers/${crashy.id}/start?wait=true`)).statusCode).toBe(502);
      expect(states(crashy.id)).toContain('starting');
      expect(states(crashy.id).at(-1)).toBe('failed');
      const crashRevisions = revisions(crashy.id);
      expect(crashRevisions[0]).toBeGreaterThan(before);
      expect(strictlyIncreasing(crashRevisions), crashRevisions.join()).toBe(true);
      expect((await listed(crashy.id))?.revision).toBe(crashRevisions.at(-1));

      const fine = body<Profile>(await api('POST', '/api/profiles', { name: 'Revisions fine', engine: 'mlx-lm', model: 'org/rev-fine' }));
      expect((await api('POST', `/api/servers/${fine.id}/start?wait=true`)).statusCode).toBe(200);
      const readyRevision = (await listed(fine.id))?.revision;
      expect(body<Server>(await api('POST', `/api/servers/${fine.id}/stop`)).state).toBe('stopped');
      expect(states(fine.id).filter((s, i, all) => s !== all[i - 1])).toEqual(['starting', 'ready', 'stopping', 'stopped']);
      const fineRevisions = revisions(fine.id);
      expect(strictlyIncreasing(fineRevisions), fineRevisions.join()).toBe(true);
      expect(fineRevisions).toContain(readyRevision);
      const stopped = await listed(fine.id);
      expect(stopped?.revision).toBe(fineRevisions.at(-1));
      // Seeded from the clock: a manager started later begins above this one (and fits a double).
      expect(stopped?.revision).toBeGreaterThan(bootClockRevision);
      expect(Number.isSafeInteger(stopped?.revision)).toBe(true);
    } finally {
      off();
    }
  });

  it('streams live log lines over SSE', async () => {
    const p = body<Profile>(await api('POST', '/api/profiles', { name: 'Live logs', engine: 'mlx-lm', model: 'org/live' }));
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const address = ctx.app.server.address() as { port: number };
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${address.port}/api/servers/${p.id}/logs?follow=true&lines=10`, { headers, signal: abort.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const started = api('POST', `/api/servers/${p.id}/start?wait=true`);
    const seen = await eventually(async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      return text.includes('model loaded');
    }, 15_000);
    abort.abort();
    expect(seen).toBe(true);
    expect(text).toContain('event: lines');
    expect((await started).statusCode).toBe(200);
    await api('POST', `/api/servers/${p.id}/stop`);
  });

  it('deleting a running profile stops its engine first', async () => {
    const p = body<Profile>(await api('POST', '/api/profiles', { name: 'Doomed', engine: 'mlx-lm', model: 'org/doomed' }));
    const started = body<Server>(await api('POST', `/api/servers/${p.id}/start?wait=true`));
    expect(started.state).toBe('ready');
    const del = await api('DELETE', `/api/profiles/${p.id}`);
    expect(del.statusCode).toBe(204);
    expect(await eventually(() => !isAlive(started.pid as number), 5000)).toBe(true);
    expect((await api('GET', `/api/profiles/${p.id}`)).statusCode).toBe(404);
  });

  it('GET /api/system lists the machine and the engines found', async () => {
    const res = await api('GET', '/api/system');
    expect(res.statusCode).toBe(200);
    const info = body<{ cpu: { cores: number }; engines: { engine: string; found: boolean; version: string | null }[] }>(res);
    expect(info.cpu.cores).toBeGreaterThan(0);
    expect(info.engines.find((e) => e.engine === 'llama-server')).toMatchObject({ found: true, version: '6500' });
    expect(info.engines.find((e) => e.engine === 'builtin')?.found).toBe(true);
  });
});
