// The fake engine's mlx_lm.server imitation (FAKE_QUIRKS=1) against the real mlx_lm.server on the
// tiny model: the same raw requests must get the same status lines, framing and error shapes —
// HTTP/1.0, 411 without Content-Length, {"error": "<string>"} bodies, a 404 for a model it cannot
// load, `default_model` when none is named, close-delimited streams. Needs the project venv; without
// it the suite fails and says how to create it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort } from '../engines/helpers.js';
import { FAKE_ENGINE } from '../fixtures/fake-engine/index.js';
import { writeTinyModel } from '../fixtures/tiny-model/index.js';
import { parseRaw as parse, rawExchange, rawPost as post, type RawAnswer as Answer } from '../helpers/raw-http.js';
import { venvExecutable } from './setup.js';

let work = '';
let modelDir = '';
const children: ChildProcess[] = [];
const ports: Record<'real' | 'fake', number> = { real: 0, fake: 0 };

/** The same request to both servers. */
async function both(request: string): Promise<{ real: Answer; fake: Answer }> {
  return { real: parse(await rawExchange(ports.real, request, 30_000)), fake: parse(await rawExchange(ports.fake, request, 30_000)) };
}

/** What must match: status line, framing headers, and the body's JSON shape (types, not values). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

const framing = (a: Answer) => ({ statusLine: a.statusLine, contentType: a.headers['content-type'], hasLength: 'content-length' in a.headers, chunked: 'transfer-encoding' in a.headers });

beforeAll(async () => {
  const mlxLmServer = venvExecutable('mlx_lm.server');
  work = await mkdtemp(path.join(os.tmpdir(), 'mlx-parity-'));
  modelDir = path.join(work, 'mlx');
  await writeTinyModel(modelDir, { format: 'mlx' });
  await mkdir(path.join(work, 'hf-cache'), { recursive: true });
  ports.real = await freePort();
  ports.fake = await freePort();
  const env = { PATH: process.env.PATH ?? '', HOME: work, HF_HUB_OFFLINE: '1', HF_HOME: path.join(work, 'hf-home'), HF_HUB_CACHE: path.join(work, 'hf-cache') };
  const args = (port: number) => ['--model', modelDir, '--host', '127.0.0.1', '--port', String(port)];
  children.push(spawn(mlxLmServer, args(ports.real), { detached: true, stdio: 'ignore', env }));
  children.push(spawn(process.execPath, [FAKE_ENGINE, ...args(ports.fake)], { detached: true, stdio: 'ignore', env: { ...env, FAKE_ENGINE_KIND: 'mlx-lm', FAKE_QUIRKS: '1', FAKE_LOAD_MS: '50' } }));
  // Ready when each answers a one-token completion (mlx_lm.server's /health is ok before the model is).
  for (const port of [ports.real, ports.fake]) {
    const ready = await eventually(async () => {
      const a = parse(await rawExchange(port, post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 })), 30_000).catch(() => ''));
      return a.statusLine.includes(' 200 ');
    }, 90_000);
    expect(ready, `server on ${port} never answered`).toBe(true);
  }
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGKILL');
  if (work) await rm(work, { recursive: true, force: true });
});

describe('fake mlx_lm.server (FAKE_QUIRKS=1) behaves like the real one on the wire', () => {
  it('GET /health: HTTP/1.0 200 {"status":"ok"}, no Content-Length', async () => {
    const { real, fake } = await both('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(real.statusLine).toBe('HTTP/1.0 200 OK');
    expect(framing(fake)).toEqual(framing(real));
    expect(JSON.parse(fake.body)).toEqual(JSON.parse(real.body));
  });

  it('a POST without Content-Length gets 411 with the same string error', async () => {
    const { real, fake } = await both(post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }), false));
    expect(real.statusLine).toBe('HTTP/1.0 411 Length Required');
    expect(framing(fake)).toEqual(framing(real));
    expect(JSON.parse(fake.body)).toEqual(JSON.parse(real.body));
  });

  it('invalid JSON gets 400 and a model it cannot load gets 404, both {"error": "<string>"}', async () => {
    for (const body of ['{not json', JSON.stringify({ model: 'no-such-org/no-such-model', messages: [{ role: 'user', content: 'hi' }] })]) {
      const { real, fake } = await both(post('/v1/chat/completions', body));
      expect(framing(fake)).toEqual(framing(real));
      expect(shape(JSON.parse(fake.body))).toEqual(shape(JSON.parse(real.body)));
      expect(shape(JSON.parse(real.body))).toEqual({ error: 'string' });
    }
    const { real, fake } = await both(post('/v1/nothing-here', '{}'));
    expect(real.statusLine).toBe('HTTP/1.0 404 Not Found');
    expect([fake.statusLine, fake.body]).toEqual([real.statusLine, real.body]);
  });

  it('a completion: Content-Length, and `model` says default_model when the request names none', async () => {
    const { real, fake } = await both(post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 })));
    expect(real.statusLine).toBe('HTTP/1.0 200 OK');
    expect(framing(fake)).toEqual(framing(real));
    const r = JSON.parse(real.body) as { model: string; object: string };
    const f = JSON.parse(fake.body) as { model: string; object: string };
    expect([f.model, f.object]).toEqual([r.model, r.object]);
    expect(r.model).toBe('default_model');
    const named = await both(post('/v1/chat/completions', JSON.stringify({ model: modelDir, messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 })));
    expect((JSON.parse(named.fake.body) as { model: string }).model).toBe((JSON.parse(named.real.body) as { model: string }).model);
  });

  it('a stream: close-delimited (no length, not chunked), keepalive comment, usage chunk then [DONE]', async () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 3, stream: true, stream_options: { include_usage: true } });
    const { real, fake } = await both(post('/v1/chat/completions', body));
    expect(framing(fake)).toEqual(framing(real));
    expect(real.headers['content-type']).toBe('text/event-stream');
    const frames = (a: Answer) => a.body.split('\n\n').filter(Boolean);
    const describe = (a: Answer) => {
      const f = frames(a);
      const data = f.filter((x) => x.startsWith('data: {')).map((x) => JSON.parse(x.slice(6)) as { object: string; choices: { delta: { role?: string } }[] });
      return { firstIsComment: f[0]?.startsWith(': keepalive'), last: f.at(-1), usageObject: data.at(-1)?.object, rolesEverywhere: data.slice(0, -1).every((d) => d.choices[0]?.delta.role === 'assistant') };
    };
    expect(describe(fake)).toEqual(describe(real));
    expect(describe(real)).toEqual({ firstIsComment: true, last: 'data: [DONE]', usageObject: 'chat.completion', rolesEverywhere: true });
  });
});
