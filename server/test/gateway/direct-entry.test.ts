// The gateway's direct entry (API-key inference requests answered before Fastify routes them)
// against Fastify's own routes for the same endpoints: every bad input gets the same status, body
// and headers on a real socket as through inject, which always takes Fastify's path. Requests the
// entry must leave to Fastify (a cookie, another content type) still get Fastify's answers.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { directEndpoint } from '../../src/gateway/routes/direct-entry.js';
import { logSink } from '../helpers/log-sink.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeUpstream } from '../fixtures/fake-upstreams/index.js';
import { startGatewayHarness, type GatewayHarness } from './harness.js';

const LIMIT = 4096;
let h: GatewayHarness;
let upstream: FakeUpstream;

beforeAll(async () => {
  h = await startGatewayHarness({ venvBin: null, config: { gateway_body_limit_bytes: LIMIT } });
  upstream = await startFakeOpenAI();
  const provider = await h.addProvider({ name: 'echo', kind: 'openai', base_url: upstream.baseURL, api_key: FAKE_OPENAI_KEY });
  await h.addRoute({ match: 'exact', pattern: 'echo-model', targets: [{ provider_id: provider.id, model: 'gpt-fake' }] });
});

afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | undefined>;
}

/** The headers both paths must agree on (dates, lengths of equal bodies and connection handling aside). */
const COMPARED_HEADERS = ['content-type', 'retry-after', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy', 'content-security-policy'];

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

async function viaSocket(path: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  const res = await fetch(`${h.url}${path}`, { method: 'POST', headers, body });
  return { status: res.status, body: parse(await res.text()), headers: Object.fromEntries(COMPARED_HEADERS.map((n) => [n, res.headers.get(n) ?? undefined])) };
}

async function viaInject(path: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  const res = await h.ctx.app.inject({ method: 'POST', url: path, headers, ...(body === undefined ? {} : { payload: body }) });
  const value = (n: string) => (res.headers[n] === undefined ? undefined : String(res.headers[n]));
  return { status: res.statusCode, body: parse(res.body), headers: Object.fromEntries(COMPARED_HEADERS.map((n) => [n, value(n)])) };
}

const json = { 'content-type': 'application/json' };
const chat = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
const messages = (model: string) => JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });

describe('direct entry and Fastify routes answer alike', () => {
  const cases: [string, string, (key: string) => Record<string, string>, string | undefined, number][] = [
    ['no key (chat)', '/v1/chat/completions', () => json, chat('m'), 401],
    ['no key (messages)', '/v1/messages', () => json, messages('m'), 401],
    ['a wrong key', '/v1/chat/completions', () => ({ ...json, authorization: 'Bearer mlxm_wrong' }), chat('m'), 401],
    ['an unknown model (chat)', '/v1/chat/completions', (k) => ({ ...json, authorization: `Bearer ${k}` }), chat('no-such-model'), 404],
    ['an unknown model (messages, x-api-key)', '/v1/messages', (k) => ({ ...json, 'x-api-key': k }), messages('no-such-model'), 404],
    ['malformed JSON (chat)', '/v1/chat/completions', (k) => ({ ...json, authorization: `Bearer ${k}` }), '{"model": ', 400],
    ['malformed JSON (messages)', '/v1/messages', (k) => ({ ...json, 'x-api-key': k }), '{"model": ', 400],
    ['an empty JSON body', '/v1/embeddings', (k) => ({ ...json, authorization: `Bearer ${k}` }), '', 400],
    ['prototype poisoning', '/v1/chat/completions', (k) => ({ ...json, authorization: `Bearer ${k}` }), '{"model":"m","messages":[],"__proto__":{"x":1}}', 400],
    ['a body over the limit', '/v1/chat/completions', (k) => ({ ...json, authorization: `Bearer ${k}` }), chat('x'.repeat(LIMIT)), 413],
    ['a body of the wrong shape (count_tokens)', '/v1/messages/count_tokens', (k) => ({ ...json, 'x-api-key': k }), JSON.stringify({ model: 'm' }), 400],
    ['a JSON array', '/v1/completions', (k) => ({ ...json, authorization: `Bearer ${k}` }), '[1,2]', 400],
    ['a charset and upper case in the content type', '/v1/chat/completions', (k) => ({ 'content-type': 'Application/JSON; charset=utf-8', authorization: `Bearer ${k}` }), chat('no-such-model'), 404],
    ['a query string', '/v1/chat/completions?beta=true', (k) => ({ ...json, authorization: `Bearer ${k}` }), chat('no-such-model'), 404],
    ['a text body (left to Fastify: 415)', '/v1/chat/completions', (k) => ({ 'content-type': 'text/plain', authorization: `Bearer ${k}` }), 'hello', 415],
  ];
  for (const [name, path, headers, body, status] of cases) {
    it(`${name}: ${status}`, async () => {
      const socket = await viaSocket(path, headers(h.key), body);
      const injected = await viaInject(path, headers(h.key), body);
      expect(socket.status).toBe(status);
      expect(socket).toEqual(injected);
    });
  }

  it('a whole answer: the same status, headers and body (but its ids and times) both ways', async () => {
    const headers = { ...json, authorization: `Bearer ${h.key}` };
    const socket = await viaSocket('/v1/chat/completions', headers, chat('echo-model'));
    const injected = await viaInject('/v1/chat/completions', headers, chat('echo-model'));
    expect(socket.status).toBe(200);
    expect(socket.headers).toEqual(injected.headers);
    const content = (a: Answer) => (a.body as { choices: { message: { content: string } }[] }).choices[0]?.message.content;
    expect(content(socket)).toBe('you said: hi');
    expect(content(socket)).toBe(content(injected));
  });

  it('a chunked body that grows past the limit is refused with 413 in the endpoint’s shape', async () => {
    const big = chat('y'.repeat(2 * LIMIT));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(big);
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.subarray(i, i + 1000));
        controller.close();
      },
    });
    const res = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { ...json, 'x-api-key': h.key }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
  });
});

/** The same services behind a second app whose log is collected at level info. */
async function appLoggingAtInfo() {
  const log = logSink();
  const app = await buildApp({ config: { ...h.ctx.config, log_level: 'info' }, services: h.ctx.services, version: '0', webRoot: null, logStream: log.sink });
  return { lines: log.lines, app };
}

describe('which requests the direct entry takes', () => {
  it('POST with a JSON body and no cookie, on the five inference paths only', () => {
    const j = { 'content-type': 'application/json' };
    expect(directEndpoint('POST', '/v1/chat/completions', j)).toBe('chat');
    expect(directEndpoint('POST', '/v1/messages/count_tokens?x=1', j)).toBe('count_tokens');
    expect(directEndpoint('POST', '/v1/embeddings', { 'content-type': ' application/json ; charset=utf-8' })).toBe('embeddings');
    expect(directEndpoint('GET', '/v1/chat/completions', j)).toBeNull();
    expect(directEndpoint('POST', '/v1/models', j)).toBeNull();
    expect(directEndpoint('POST', '/v1/chat/completions/', j)).toBeNull();
    expect(directEndpoint('POST', '/V1/chat/completions', j)).toBeNull();
    expect(directEndpoint('POST', '/v1/chat/completions', { ...j, cookie: 'mlxm_session=x' })).toBeNull();
    expect(directEndpoint('POST', '/v1/chat/completions', { 'content-type': 'application/jsonx' })).toBeNull();
    expect(directEndpoint('POST', '/v1/chat/completions', {})).toBeNull();
  });

  it('logs each request it answers as Fastify does: an "incoming request" line and a "request completed" line with one id, no key', async () => {
    const { lines, app } = await appLoggingAtInfo();
    let port = 0;
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      port = (app.server.address() as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { ...json, authorization: `Bearer ${h.key}` }, body: chat('no-such-model') });
      expect(res.status).toBe(404);
      await res.text();
      await expect.poll(() => lines().some((l) => l.msg === 'request completed'), { timeout: 5000 }).toBe(true);
    } finally {
      await app.close();
    }
    const incoming = lines().find((l) => l.msg === 'incoming request');
    const completed = lines().find((l) => l.msg === 'request completed');
    expect(incoming).toMatchObject({
      reqId: expect.stringMatching(/^v1-/),
      req: { method: 'POST', url: '/v1/chat/completions', host: `127.0.0.1:${port}`, remoteAddress: '127.0.0.1', remotePort: expect.any(Number) },
    });
    expect(completed).toMatchObject({ reqId: incoming?.reqId, res: { statusCode: 404 }, responseTime: expect.any(Number) });
    expect(JSON.stringify(lines())).not.toContain(h.key);
  });

  it('survives clients that leave mid-body, and logs them as aborted, not as answered', async () => {
    const { lines, app } = await appLoggingAtInfo();
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      for (let i = 0; i < 3; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\nauthorization: Bearer ${h.key}\r\n\r\n{"model":`);
        await new Promise((r) => setTimeout(r, 50));
        socket.destroy();
      }
      await expect.poll(() => lines().filter((l) => l.msg === 'request aborted by the client').length, { timeout: 5000 }).toBe(3);
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { ...json, authorization: `Bearer ${h.key}` }, body: chat('no-such-model') });
      expect(res.status).toBe(404);
    } finally {
      await app.close();
    }
    expect(lines().filter((l) => l.msg === 'request completed' && (l.res as { statusCode: number }).statusCode === 200)).toEqual([]);
  });
});
