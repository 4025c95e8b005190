// The gateway in front of local profiles served by the fake engines (with each real engine's
// quirks switched on), started on demand by the real supervisor: the official SDKs, streaming
// and not; model rewrite, pass-through of /v1/messages to engines that speak it, conversion for
// the others; one start for 50 concurrent requests; heartbeats while a model loads; a 503 with
// Retry-After when a model cannot start.
import type { AppEvent } from '@mlx-manager/contract';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoText, promptFromAnthropic, promptFromOpenAI } from '../fixtures/fake-upstreams/index.js';
import { startGatewayHarness, type GatewayHarness } from './harness.js';

let h: GatewayHarness;
let openai: OpenAI;
let anthropic: Anthropic;
const ids: Record<string, string> = {};

const quirks = { FAKE_QUIRKS: '1', FAKE_LOAD_MS: '200' };

beforeAll(async () => {
  h = await startGatewayHarness();
  ids.mos = (await h.createProfile({ name: 'fake-mos', engine: 'mlx-openai-server', model: 'org/fake-mos', env: quirks })).id;
  ids.mlxlm = (await h.createProfile({ name: 'fake-mlxlm', engine: 'mlx-lm', model: 'org/fake-mlxlm', env: quirks })).id;
  ids.mlxlmReasoning = (await h.createProfile({ name: 'fake-mlxlm-think', engine: 'mlx-lm', model: 'org/fake-mlxlm-think', env: { ...quirks, FAKE_REASONING: '1' } })).id;
  ids.vllm = (await h.createProfile({ name: 'fake-vllm', engine: 'vllm-mlx', model: 'org/fake-vllm', env: quirks })).id;
  ids.llama = (await h.createProfile({ name: 'fake-llama', engine: 'llama-server', model: '/models/fake.gguf', env: quirks })).id;
  ids.crowd = (await h.createProfile({ name: 'fake-crowd', engine: 'llama-server', model: '/models/crowd.gguf', env: { ...quirks, FAKE_LOAD_MS: '1500' } })).id;
  ids.slow = (await h.createProfile({ name: 'fake-slow', engine: 'mlx-openai-server', model: 'org/fake-slow', env: { FAKE_LOAD_MS: '6500' } })).id;
  ids.slow2 = (await h.createProfile({ name: 'fake-slow-2', engine: 'mlx-openai-server', model: 'org/fake-slow-2', env: { FAKE_LOAD_MS: '3000' } })).id;
  ids.broken = (await h.createProfile({ name: 'fake-broken', engine: 'mlx-openai-server', model: 'org/fake-broken', env: { FAKE_CRASH_AT_START: '1' } })).id;
  openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: h.key, maxRetries: 0, timeout: 60_000 });
  anthropic = new Anthropic({ baseURL: h.url, apiKey: h.key, maxRetries: 0, timeout: 60_000 });
});

afterAll(async () => {
  await h?.close();
});

const conversation: OpenAI.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You are a local model.' },
  { role: 'user', content: 'first question' },
  { role: 'assistant', content: 'first answer' },
  { role: 'user', content: 'second question' },
];
const expectedText = echoText(promptFromOpenAI({ messages: conversation }));

describe('OpenAI clients on local engines', () => {
  it('starts a stopped profile on demand and answers from the whole conversation', async () => {
    const r = await openai.chat.completions.create({ model: 'fake-mos', messages: conversation });
    expect(r.choices[0]?.message.content).toBe(expectedText);
    expect(r.model).toBe('org/fake-mos');
    const servers = await h.ctx.services.servers.list();
    expect(servers.find((s) => s.profile_id === ids.mos)?.state).toBe('ready');
  });

  it('streams through the gateway, with usage recorded in the audit log', async () => {
    const stream = await openai.chat.completions.create({ model: 'fake-mos', messages: conversation, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(expectedText);
    const [record] = await h.audit();
    expect(record).toMatchObject({ requested_model: 'fake-mos', backend: 'local', target_id: ids.mos, status: 200 });
    expect(record!.tokens_out).toBeGreaterThan(0);
    expect(record!.tokens_in).toBeGreaterThan(0);
    expect(record!.ttft_ms).not.toBeNull();
    // The decode speed of that answer reaches the engine's server entry (dashboards, Servers page).
    const entry = (await h.ctx.services.servers.list()).find((s) => s.profile_id === ids.mos);
    expect(entry?.tokens_per_second).toBeGreaterThan(0);
  });

  it('mlx_lm.server (HTTP/1.0, Content-Length required, loads whatever model is named) gets the exact --model string', async () => {
    const r = await openai.chat.completions.create({ model: 'fake-mlxlm', messages: conversation });
    expect(r.choices[0]?.message.content).toBe(expectedText);
    const stream = await openai.chat.completions.create({ model: 'org/fake-mlxlm', messages: conversation, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(expectedText);
  });

  it('normalises mlx_lm.server’s plain-string errors into the OpenAI envelope, marked upstream', async () => {
    // The fake, like mlx_lm.server, wants a string prompt and answers {"error": "<text>"} otherwise.
    const err = await openai.completions.create({ model: 'fake-mlxlm', prompt: ['one', 'two'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ message: 'Request did not contain a prompt', type: 'invalid_request_error', source: 'upstream' });
  });

  it('turns mlx_lm.server’s `reasoning` into the common `reasoning_content`, streaming and not', async () => {
    const r = await openai.chat.completions.create({ model: 'fake-mlxlm-think', messages: conversation });
    const message = r.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.reasoning_content).toEqual(expect.any(String));
    expect(message.reasoning).toBeUndefined();
    expect(message.content).toBe(expectedText);
    const stream = await openai.chat.completions.create({ model: 'fake-mlxlm-think', messages: conversation, stream: true });
    let reasoning = '';
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
      expect(delta?.reasoning).toBeUndefined();
      reasoning += typeof delta?.reasoning_content === 'string' ? delta.reasoning_content : '';
      text += typeof delta?.content === 'string' ? delta.content : '';
    }
    expect(reasoning).toBe(message.reasoning_content);
    expect(text).toBe(expectedText);
  });

  it('answers 503 with Retry-After when a model cannot start', async () => {
    const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'fake-broken', messages: conversation }) });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: { code: 'model_unavailable', source: 'gateway' } });
  });
});

describe('Anthropic clients on local engines', () => {
  const request: Anthropic.MessageCreateParamsNonStreaming = {
    model: 'fake-vllm',
    max_tokens: 300,
    system: [{ type: 'text', text: 'System one.', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'System two.' }],
    messages: [
      { role: 'user', content: 'hello there' },
      { role: 'assistant', content: 'hi' },
      { role: 'user', content: 'what next' },
    ],
  };
  const expected = echoText(promptFromAnthropic(request));

  it('passes /v1/messages through to an engine that speaks it (vllm-mlx refuses any other model name)', async () => {
    const msg = await anthropic.messages.create(request);
    expect(msg.content[0]).toMatchObject({ type: 'text', text: expected });
    const final = await anthropic.messages.stream({ ...request, model: 'fake-llama' }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: expected });
    const count = await anthropic.messages.countTokens({ model: 'fake-vllm', system: request.system!, messages: request.messages });
    expect(count.input_tokens).toBe(promptFromAnthropic(request).tokens);
  });

  it('converts for an OpenAI-only engine, streaming and not', async () => {
    const msg = await anthropic.messages.create({ ...request, model: 'fake-mos' });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: expected });
    const final = await anthropic.messages.stream({ ...request, model: 'fake-mlxlm' }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: expected });
  });
});

describe('on-demand start under load', () => {
  it('50 concurrent requests for a stopped profile cause exactly one engine start, and all succeed', async () => {
    // Transitions into `starting` (in-flight changes re-announce the same state) and engine pids.
    const starts: number[] = [];
    const pids = new Set<number>();
    let previous: string | null = null;
    const off = h.ctx.services.events.subscribe(({ event }: { event: AppEvent }) => {
      if (event.type !== 'server.changed' || event.server.profile_id !== ids.crowd) return;
      if (event.server.state === 'starting' && previous !== 'starting') starts.push(Date.now());
      if (event.server.pid) pids.add(event.server.pid);
      previous = event.server.state;
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => openai.chat.completions.create({ model: 'fake-crowd', messages: [{ role: 'user', content: `question ${i}` }] })),
      );
      answers.forEach((r, i) => expect(r.choices[0]?.message.content).toBe(`you said: question ${i}`));
      expect(starts).toHaveLength(1);
      expect(pids.size).toBe(1);
    } finally {
      off();
    }
  }, 60_000);

  it('a client that leaves while its model loads stops waiting, and nothing stays counted in flight', async () => {
    const ctl = new AbortController();
    const pending = openai.chat.completions.create({ model: 'fake-slow-2', messages: [{ role: 'user', content: 'hello?' }] }, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 500);
    await expect(pending).rejects.toThrow();
    const settled = async () => {
      const server = (await h.ctx.services.servers.list()).find((s) => s.profile_id === ids.slow2);
      const [record] = await h.audit({ model: 'fake-slow-2' });
      return server?.in_flight === 0 && record?.status === 499;
    };
    const deadline = Date.now() + 10_000;
    while (!(await settled()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await settled()).toBe(true);
  }, 30_000);

  it('sends heartbeat comments while a model loads, then the answer', async () => {
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-slow', messages: [{ role: 'user', content: 'wake up' }], stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text.indexOf(': ping')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(': ping')).toBeLessThan(text.indexOf('data: '));
    expect(text).toContain('wake');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  }, 30_000);
});
