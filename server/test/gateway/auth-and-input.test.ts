// Who may call /v1 and what it answers to bad input: API keys (Bearer or x-api-key), the web
// app's session cookie, the admin's open-on-loopback setting; malformed, oversized or mistyped
// bodies and unknown models get a 4xx in the endpoint's own error shape, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditQuery } from '@mlx-manager/contract';
import { login } from '../helpers/app.js';
import { startGatewayHarness, type GatewayHarness } from './harness.js';

let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness({ venvBin: null, config: { gateway_body_limit_bytes: 1024 * 1024 } });
});

afterAll(async () => {
  await h?.close();
});

const chatBody = { model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] };
const messagesBody = { model: 'no-such-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };

function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  return h.ctx.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
}

function expectOpenAiError(res: { statusCode: number; json(): unknown }, status: number, type?: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { error: { message: string; type: string; source: string } };
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.source).toBe('gateway');
  if (type) expect(body.error.type).toBe(type);
}

function expectAnthropicError(res: { statusCode: number; json(): unknown }, status: number, type: string) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ type: 'error', error: { type, message: expect.any(String) } });
}

describe('authentication', () => {
  it('refuses a request without a key, in each protocol’s shape', async () => {
    expectOpenAiError(await post('/v1/chat/completions', chatBody), 401, 'authentication_error');
    expectAnthropicError(await post('/v1/messages', messagesBody), 401, 'authentication_error');
    expectOpenAiError(await h.ctx.app.inject({ method: 'GET', url: '/v1/models' }), 401);
  });

  it('refuses a wrong key', async () => {
    expectOpenAiError(await post('/v1/chat/completions', chatBody, { authorization: 'Bearer mlxm_wrong' }), 401);
    expectAnthropicError(await post('/v1/messages', messagesBody, { 'x-api-key': 'mlxm_wrong' }), 401, 'authentication_error');
  });

  it('accepts the key as Bearer or x-api-key (then the unknown model is a 404 in shape)', async () => {
    expectOpenAiError(await post('/v1/chat/completions', chatBody, { authorization: `Bearer ${h.key}` }), 404, 'not_found_error');
    expectAnthropicError(await post('/v1/messages', messagesBody, { 'x-api-key': h.key }), 404, 'not_found_error');
    await h.ctx.services.audit.flush();
    const [record] = (await h.ctx.services.audit.query(AuditQuery.parse({ model: 'no-such-model' }), { id: 'admin', isAdmin: true })).records;
    expect(record).toMatchObject({ status: 404, endpoint: '/v1/messages', backend: null, hops: [] });
  });

  it('a revoked key stops working at once (verified keys are remembered only until keys change)', async () => {
    const created = await h.ctx.app.inject({ method: 'POST', url: '/api/keys', headers: { authorization: `Bearer ${h.adminToken}` }, payload: { name: 'short-lived' } });
    const { id, key } = created.json<{ id: string; key: string }>();
    expectOpenAiError(await post('/v1/chat/completions', chatBody, { authorization: `Bearer ${key}` }), 404);
    const revoked = await h.ctx.app.inject({ method: 'DELETE', url: `/api/keys/${id}`, headers: { authorization: `Bearer ${h.adminToken}` } });
    expect(revoked.statusCode).toBeLessThan(300);
    expectOpenAiError(await post('/v1/chat/completions', chatBody, { authorization: `Bearer ${key}` }), 401);
  });

  it('accepts the web app’s session cookie for JSON bodies only', async () => {
    const { cookie } = await login(h.ctx.app, 'admin@example.com');
    expectOpenAiError(await post('/v1/chat/completions', chatBody, { cookie }), 404);
    const form = await h.ctx.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'model=x' });
    expect(form.statusCode).toBe(415);
  });

  it('opens /v1 on loopback without a key only when the admin setting is on', async () => {
    expectOpenAiError(await post('/v1/chat/completions', chatBody), 401);
    await h.ctx.services.settings.update({ v1_open_on_loopback: true });
    try {
      expectOpenAiError(await post('/v1/chat/completions', chatBody), 404);
      // A key that is sent must still be right.
      expectOpenAiError(await post('/v1/chat/completions', chatBody, { authorization: 'Bearer mlxm_wrong' }), 401);
      const fromAfar = await h.ctx.app.inject({ method: 'POST', url: '/v1/chat/completions', remoteAddress: '10.0.0.7', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(chatBody) });
      expectOpenAiError(fromAfar, 401);
    } finally {
      await h.ctx.services.settings.update({ v1_open_on_loopback: false });
    }
  });
});

describe('bad input never becomes a 500', () => {
  const auth = () => ({ authorization: `Bearer ${h.key}` });

  it.each([
    ['/v1/chat/completions', '{"model": "m", "messages": [', 'openai'],
    ['/v1/messages', '{not json', 'anthropic'],
  ])('malformed JSON on %s → 400', async (url, text, shape) => {
    const res = await post(url, text, auth());
    if (shape === 'openai') expectOpenAiError(res, 400, 'invalid_request_error');
    else expectAnthropicError(res, 400, 'invalid_request_error');
  });

  it('a body over the gateway limit (set to 1 MiB here) → 413 in each shape', async () => {
    const huge = JSON.stringify({ ...chatBody, messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] });
    expectOpenAiError(await post('/v1/chat/completions', huge, auth()), 413);
    expectAnthropicError(await post('/v1/messages', huge, auth()), 413, 'request_too_large');
  });

  it.each([
    ['/v1/chat/completions', { model: 'm' }, 'messages'],
    ['/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['/v1/chat/completions', { model: 42, messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['/v1/chat/completions', { model: 'm', messages: 'hello' }, 'messages'],
    ['/v1/chat/completions', [1, 2, 3], null],
    ['/v1/completions', { model: 'm', prompt: 5 }, 'prompt'],
    ['/v1/embeddings', { model: 'm' }, 'input'],
    ['/v1/messages', { model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    ['/v1/messages', { model: 'm', max_tokens: 'many', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    ['/v1/messages', { model: 'm', max_tokens: 5, messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.role'],
    ['/v1/messages/count_tokens', { model: 'm' }, 'messages'],
  ])('%s %j → 400 naming %s', async (url, payload, param) => {
    const res = await post(url, payload, auth());
    expect(res.statusCode).toBe(400);
    const text = res.body;
    if (param) expect(text).toContain(param);
    if (url.startsWith('/v1/messages')) expect(res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    else expect(res.json()).toMatchObject({ error: { type: 'invalid_request_error', param } });
  });

  it('an unknown path under /v1 is a 404 in OpenAI’s shape', async () => {
    const res = await post('/v1/nope', chatBody, auth());
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });
});
