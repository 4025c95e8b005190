// The engine's HTTP layer over loopback with a stub model host, driven by the real openai client.
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngineServer, type EngineServer } from '../../../src/engines/builtin/server.js';
import { StubHost } from './stub-host.js';

let host: StubHost;
let engine: EngineServer;
let base: string;
let client: OpenAI;

beforeEach(async () => {
  host = new StubHost();
  engine = createEngineServer({
    modelId: 'tiny',
    otherNames: ['/models/tiny.gguf'],
    host: () => host,
    modelMeta: () => ({ n_ctx: host.contextSize }),
    log: () => undefined,
  });
  await new Promise<void>((r) => engine.server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(engine.server.address() as AddressInfo).port}`;
  client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 10_000 });
});

afterEach(async () => {
  await engine.shutdown(1_000);
});

const post = (path: string, body: string, signal?: AbortSignal) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('readiness', () => {
  it('answers 503 loading until the model is ready, then 200 ok', async () => {
    const loading = await fetch(`${base}/health`);
    expect(loading.status).toBe(503);
    expect(await loading.json()).toEqual({ status: 'loading' });

    const early = await post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(await early.json()).toMatchObject({ error: { type: 'unavailable_error', code: 'model_loading' } });

    host.ready = true;
    const ready = await fetch(`${base}/health`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
  });
});

describe('OpenAI API with the openai client', () => {
  beforeEach(() => {
    host.ready = true;
  });

  it('lists the one model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['tiny']);
  });

  it('answers a chat completion', async () => {
    const r = await client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }], temperature: 0, seed: 3, stop: ['x'] });
    expect(r.object).toBe('chat.completion');
    expect(r.model).toBe('tiny');
    expect(r.choices[0]?.message.content).toBe('Hello world');
    expect(r.choices[0]?.finish_reason).toBe('stop');
    expect(r.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(host.seen[0]?.params).toMatchObject({ temperature: 0, seed: 3, stop: ['x'] });
  });

  it('accepts the model file path as the model name, and reports finish_reason length', async () => {
    const r = await client.chat.completions.create({ model: '/models/tiny.gguf', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 });
    expect(r.choices[0]?.finish_reason).toBe('length');
  });

  it('streams a chat completion with a role chunk, deltas, a finish chunk and usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'tiny', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello world');
    expect(chunks.some((c) => (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content === 'thinking')).toBe(true);
    const finish = chunks.at(-2);
    expect(finish?.choices[0]?.finish_reason).toBe('stop');
    const usage = chunks.at(-1);
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it('ends a stream with data: [DONE] and sends usage only when asked', async () => {
    const res = await post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: true }));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const events = text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)) as { usage: unknown });
    expect(events.every((e) => e.usage === null)).toBe(true);
  });

  it('returns tool calls, streaming and not', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const r = await client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'tool' }], tools });
    const call = r.choices[0]?.message.tool_calls?.[0];
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    expect(r.choices[0]?.message.content).toBeNull();
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(call?.id).toMatch(/^call_/);

    const stream = await client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'tool' }], tools, stream: true });
    let name = '';
    let args = '';
    let id = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      for (const t of chunk.choices[0]?.delta.tool_calls ?? []) {
        expect(t.index).toBe(0);
        name += t.function?.name ?? '';
        args += t.function?.arguments ?? '';
        id ||= t.id ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args, finish }).toEqual({ name: 'get_weather', args: '{"city":"Paris"}', finish: 'tool_calls' });
    expect(id).toMatch(/^call_/);
  });

  it('answers completions, streaming and not', async () => {
    const r = await client.completions.create({ model: 'tiny', prompt: 'once' });
    expect(r.object).toBe('text_completion');
    expect(r.choices[0]?.text).toBe(' and more');
    const stream = await client.completions.create({ model: 'tiny', prompt: 'once', stream: true });
    let text = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(' and more');
    expect(finish).toBe('stop');
  });

  it('answers embeddings as floats and as base64 (the client default)', async () => {
    const viaClient = await client.embeddings.create({ model: 'tiny', input: ['abc', 'de'] });
    expect(viaClient.data.map((d) => d.embedding)).toEqual([[3, 0.5, -1], [2, 0.5, -1]]);
    const raw = await post('/v1/embeddings', JSON.stringify({ input: 'abcd', encoding_format: 'float' }));
    expect(await raw.json()).toMatchObject({ object: 'list', data: [{ index: 0, embedding: [4, 0.5, -1] }], usage: { prompt_tokens: 1 } });
  });
});

describe('errors in the OpenAI shape', () => {
  beforeEach(() => {
    host.ready = true;
  });

  it.each<[string, string, string, number, Record<string, unknown>]>([
    ['malformed JSON', '/v1/chat/completions', '{"messages": [', 400, { type: 'invalid_request_error', code: 'invalid_json' }],
    ['an empty body', '/v1/chat/completions', '', 400, { code: 'invalid_json' }],
    ['a JSON array', '/v1/completions', '[1]', 400, { code: 'invalid_json' }],
    ['missing messages', '/v1/chat/completions', '{"model":"tiny"}', 400, { type: 'invalid_request_error', param: 'messages' }],
    ['messages of the wrong type', '/v1/chat/completions', '{"messages":{"role":"user"}}', 400, { param: 'messages' }],
    ['max_tokens as a string', '/v1/chat/completions', '{"messages":[{"role":"user","content":"hi"}],"max_tokens":"5"}', 400, { param: 'max_tokens' }],
    ['an unknown model', '/v1/chat/completions', '{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}', 404, { code: 'model_not_found', param: 'model' }],
    ['an unknown model on completions', '/v1/completions', '{"model":"gpt-9","prompt":"x"}', 404, { code: 'model_not_found' }],
    ['a prompt too long for the context', '/v1/chat/completions', '{"messages":[{"role":"user","content":"long"}],"stream":true}', 400, { code: 'context_length_exceeded' }],
    ['an unknown path', '/v1/nothing', '{}', 404, { code: 'not_found' }],
  ])('answers %s', async (_name, path, body, status, error) => {
    const res = await post(path, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const json = (await res.json()) as { error: Record<string, unknown> };
    expect(json.error).toMatchObject(error);
    expect(typeof json.error.message).toBe('string');
    expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const res = await fetch(`${base}/v1/chat/completions`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('surfaces as the SDK error classes', async () => {
    await expect(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'long' }] })).rejects.toMatchObject({
      status: 400, code: 'context_length_exceeded',
    });
    await expect(client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'crash' }] })).rejects.toMatchObject({
      status: 500, type: 'server_error', message: expect.stringContaining('llama.cpp exploded'),
    });
  });
});

describe('cancellation', () => {
  beforeEach(() => {
    host.ready = true;
  });

  it('aborts the generation when the streaming client disconnects', async () => {
    const ac = new AbortController();
    const res = await post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'slow' }], stream: true }), ac.signal);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data: ');
    ac.abort();
    await waitFor(() => host.aborted.length === 1, 'the generation to be aborted');
    expect(host.aborted).toEqual(['client disconnected']);
  });

  it('opens the stream with the role chunk as soon as the request is accepted, before any token', async () => {
    const ac = new AbortController();
    const res = await post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'wait' }], stream: true }), ac.signal);
    expect(res.status).toBe(200);
    const first = await res.body!.getReader().read();
    expect(new TextDecoder().decode(first.value)).toContain('"delta":{"role":"assistant","content":""}');
    ac.abort();
    await waitFor(() => host.aborted.length === 1, 'the generation to be aborted');
  });

  it('aborts a non-streaming generation when its client goes away', async () => {
    const ac = new AbortController();
    const pending = post('/v1/completions', JSON.stringify({ prompt: 'slow' }), ac.signal).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    expect(await pending).toBeInstanceOf(Error);
    await waitFor(() => host.aborted.length === 1, 'the generation to be aborted');
  });

  it('shutdown aborts in-flight generations, answers them 503 and stops listening', async () => {
    const pending = post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'slow' }] }));
    await waitFor(() => host.seen.length === 1, 'the request to start');
    await engine.shutdown(2_000);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'shutting_down' } });
    expect(host.aborted).toEqual(['engine shutting down']);
    expect(engine.server.listening).toBe(false);
  });
});
