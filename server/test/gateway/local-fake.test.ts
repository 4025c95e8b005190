// The gateway in front of local profiles served by the fake engines, started on demand by the
// real supervisor: the official SDKs, streaming and not, pass-through and Anthropic conversion.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './harness.js';

let h: GatewayHarness;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  h = await startGatewayHarness();
  await h.createProfile({ name: 'fake-llama', engine: 'llama-server', model: '/models/fake.gguf', env: { FAKE_LOAD_MS: '300' } });
  await h.createProfile({ name: 'fake-mos', engine: 'mlx-openai-server', model: 'org/fake-model', env: { FAKE_LOAD_MS: '300' } });
  openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: h.key, maxRetries: 0, timeout: 30_000 });
  anthropic = new Anthropic({ baseURL: h.url, apiKey: h.key, maxRetries: 0, timeout: 30_000 });
});

afterAll(async () => {
  await h?.close();
});

describe('local profiles on demand', () => {
  it('starts a stopped profile and answers a chat completion', async () => {
    const r = await openai.chat.completions.create({ model: 'fake-mos', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.choices[0]?.message.content).toBe('Hello from the fake mlx-openai-server engine.');
    expect(r.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams through the gateway', async () => {
    const stream = await openai.chat.completions.create({ model: 'fake-mos', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello from the fake mlx-openai-server engine.');
  });

  it('converts /v1/messages for an OpenAI-only engine, streaming and not', async () => {
    const msg = await anthropic.messages.create({ model: 'fake-mos', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake mlx-openai-server engine.' });
    const stream = anthropic.messages.stream({ model: 'fake-mos', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake mlx-openai-server engine.' });
  });

  it('lists profile names in /v1/models', async () => {
    const ids = (await openai.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['fake-llama', 'fake-mos', 'org/fake-model']));
  });

  it('answers an unknown model with 404 in each protocol', async () => {
    await expect(openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 404 });
    await expect(anthropic.messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 404,
      error: { type: 'error', error: { type: 'not_found_error' } },
    });
  });
});
