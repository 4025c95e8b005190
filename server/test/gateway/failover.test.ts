// Failover and cancellation through the gateway: a primary provider that refuses connections,
// answers 500 or 429, or stalls before its first token hands the request to the fallback (and the
// audit record shows the hop); a stream that already sent content is never replayed elsewhere
// and ends with an error event; a client that leaves cancels the upstream request.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, freePort } from '../engines/helpers.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeUpstream } from '../fixtures/fake-upstreams/index.js';
import { startGatewayHarness, type GatewayHarness } from './harness.js';

let h: GatewayHarness;
let primary: FakeUpstream;
let fallback: FakeUpstream;
let openai: OpenAI;
let anthropic: Anthropic;
let primaryId: string;
let fallbackId: string;

beforeAll(async () => {
  h = await startGatewayHarness();
  primary = await startFakeOpenAI();
  fallback = await startFakeOpenAI();
  // Short first-token limit on the primary so a stall fails over quickly.
  primaryId = (await h.addProvider({ name: 'primary', kind: 'openai', base_url: primary.baseURL, api_key: FAKE_OPENAI_KEY, timeouts: { ttft_ms: 400, connect_ms: null, idle_ms: 400, total_ms: null } })).id;
  fallbackId = (await h.addProvider({ name: 'fallback', kind: 'openai-compatible', base_url: fallback.baseURL, api_key: FAKE_OPENAI_KEY })).id;
  const refused = await freePort(); // nothing listens there
  const deadId = (await h.addProvider({ name: 'dead', kind: 'openai-compatible', base_url: `http://127.0.0.1:${refused}/v1` })).id;
  await h.addRoute({ match: 'exact', pattern: 'ha-model', targets: [{ provider_id: primaryId, model: 'gpt-fake' }, { provider_id: fallbackId, model: 'gpt-fake-mini' }] });
  await h.addRoute({ match: 'exact', pattern: 'dead-first', targets: [{ provider_id: deadId, model: 'gpt-fake' }, { provider_id: fallbackId, model: 'gpt-fake' }] });
  await h.addRoute({ match: 'exact', pattern: 'only-primary', targets: [{ provider_id: primaryId, model: 'gpt-fake' }] });
  openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: h.key, maxRetries: 0, timeout: 20_000 });
  anthropic = new Anthropic({ baseURL: h.url, apiKey: h.key, maxRetries: 0, timeout: 20_000 });
});

afterAll(async () => {
  await h?.close();
  await primary?.close();
  await fallback?.close();
});

beforeEach(() => {
  primary.setBehaviour({});
  fallback.setBehaviour({});
  primary.requests.length = 0;
  fallback.requests.length = 0;
});

const ask = (model = 'ha-model') => openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'ping me' }] });

async function lastAudit() {
  const records = await h.audit();
  return records[0]!;
}

describe('failover before the first byte', () => {
  it.each([
    ['answers 500', { fail: { status: 500 } }, 500],
    ['answers 429', { fail: { status: 429 } }, 429],
    ['stalls before the first token', { stallMs: 3000 }, null],
  ])('primary %s → the fallback answers and the audit shows the hop', async (_name, behaviour, primaryStatus) => {
    primary.setBehaviour(behaviour);
    const r = await ask();
    expect(r.choices[0]?.message.content).toBe('you said: ping me');
    expect(fallback.requests).toHaveLength(1);
    expect((fallback.requests[0]!.body as { model: string }).model).toBe('gpt-fake-mini');
    const record = await lastAudit();
    expect(record).toMatchObject({ requested_model: 'ha-model', status: 200, backend: 'openai-compatible', target_id: fallbackId, target_model: 'gpt-fake-mini' });
    expect(record.hops).toHaveLength(2);
    expect(record.hops[0]).toMatchObject({ target_id: primaryId, status: primaryStatus });
    expect(record.hops[0]!.error).toBeTruthy();
    expect(record.hops[1]).toMatchObject({ target_id: fallbackId, status: 200 });
  });

  it('a refused connection fails over too', async () => {
    const r = await ask('dead-first');
    expect(r.choices[0]?.message.content).toBe('you said: ping me');
    const record = await lastAudit();
    expect(record.hops.map((hop) => hop.status)).toEqual([null, 200]);
    expect(record.hops[0]!.error).toMatch(/unreachable|ECONNREFUSED/);
  });

  it('a stream whose primary stalls before its first event is served by the fallback', async () => {
    primary.setBehaviour({ firstTokenDelayMs: 3000 });
    const stream = await openai.chat.completions.create({ model: 'ha-model', messages: [{ role: 'user', content: 'stream please' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('you said: stream please');
    expect((await lastAudit()).hops).toHaveLength(2);
  });

  it('a 400 is the client’s own fault: relayed in the client’s shape, no failover', async () => {
    primary.setBehaviour({ fail: { status: 400 } });
    const err = await ask().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ source: 'upstream' });
    expect(fallback.requests).toHaveLength(0);
  });

  it('the last target’s error is relayed with its status when every target fails', async () => {
    primary.setBehaviour({ fail: { status: 503 } });
    await expect(ask('only-primary')).rejects.toMatchObject({ status: 503 });
    const err = await anthropic.messages.create({ model: 'only-primary', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, error: { type: 'error', error: { source: 'upstream' } } });
  });
});

describe('after content reached the client', () => {
  it('a stream cut mid-way is not replayed: the client gets an error event, the fallback nothing', async () => {
    primary.setBehaviour({ crashAfterChunks: 3 });
    const stream = await openai.chat.completions.create({ model: 'ha-model', messages: [{ role: 'user', content: 'one two three four five six' }], stream: true });
    let text = '';
    const read = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    };
    await expect(read()).rejects.toThrow();
    expect(text.length).toBeGreaterThan(0);
    expect(fallback.requests).toHaveLength(0);
    const record = await lastAudit();
    expect(record.hops).toHaveLength(1);
    expect(record.error).toBeTruthy();
  });

  it('an error the provider puts in its stream reaches the client and the audit record, without failover', async () => {
    primary.setBehaviour({ errorAfterChunks: 2 });
    const stream = await openai.chat.completions.create({ model: 'ha-model', messages: [{ role: 'user', content: 'one two three four' }], stream: true });
    const read = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow();
    expect(fallback.requests).toHaveLength(0);
    const record = await lastAudit();
    expect(record.status).toBe(502);
    expect(record.error).toMatch(/upstream error in stream/);
  });

  it('the Anthropic SDK sees an error event when a converted stream breaks', async () => {
    primary.setBehaviour({ crashAfterChunks: 3 });
    const stream = anthropic.messages.stream({ model: 'only-primary', max_tokens: 100, messages: [{ role: 'user', content: 'one two three four five' }] });
    await expect(stream.finalMessage()).rejects.toThrow(/stream/i);
    expect(fallback.requests).toHaveLength(0);
  });

  it('a stream silent longer than the idle limit ends with an error event', async () => {
    primary.setBehaviour({ chunkDelayMs: 1500 });
    const stream = await openai.chat.completions.create({ model: 'only-primary', messages: [{ role: 'user', content: 'a b c' }], stream: true });
    const read = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow(/silent|timed out/);
  });
});

describe('cancellation', () => {
  it('a client that disconnects cancels the upstream request', async () => {
    primary.setBehaviour({ chunkDelayMs: 200 });
    const ctl = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: 'only-primary', messages: [{ role: 'user', content: 'a b c d e f g h i j k l' }], stream: true },
      { signal: ctl.signal },
    );
    let seen = 0;
    try {
      for await (const chunk of stream) {
        void chunk;
        if (++seen === 2) ctl.abort();
      }
    } catch {
      // the SDK may throw on abort; either way the client is gone
    }
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(await eventually(() => primary.requests.at(-1)?.aborted === true, 5000)).toBe(true);
    expect(await eventually(async () => (await h.audit())[0]?.status === 499, 5000)).toBe(true);
  });

  it('a client that leaves before any byte of a whole answer cancels the upstream request too', async () => {
    primary.setBehaviour({ stallMs: 2000 });
    const ctl = new AbortController();
    const pending = openai.chat.completions.create({ model: 'only-primary', messages: [{ role: 'user', content: 'slow one' }] }, { signal: ctl.signal, maxRetries: 0 });
    setTimeout(() => ctl.abort(), 300);
    await expect(pending).rejects.toThrow();
    expect(await eventually(() => primary.requests.at(-1)?.aborted === true, 5000)).toBe(true);
    expect(await eventually(async () => (await h.audit())[0]?.status === 499, 5000)).toBe(true);
  });
});
