// Real engines behind the gateway: the built-in engine (node-llama-cpp) on the tiny GGUF model,
// started on demand by a request, answers the official SDKs through /v1 — OpenAI streaming and
// not, with tools; Anthropic converted; images refused clearly by the engine. mlx_lm.server joins
// when the project venv has it (scripts/setup-python.sh records that in .venv/engines.json): if
// the venv says it is installed, it must answer.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_MODEL_SENTENCE } from '../fixtures/tiny-model/index.js';
import { binDirOf, placeTinyModel, readEnginesJson, VENV_BIN } from '../real-engines/setup.js';
import { startGatewayHarness, type GatewayHarness } from './harness.js';

const mlxLm = readEnginesJson()?.['mlx-lm'];

let h: GatewayHarness;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  h = await startGatewayHarness({ venvBin: mlxLm?.installed ? binDirOf(mlxLm) : null });
  const ggufFile = await placeTinyModel(path.join(h.home, 'tiny-gguf'), 'gguf');
  await h.createProfile({ name: 'tiny', engine: 'builtin', model: ggufFile, threads: 1, start_timeout_seconds: 120 });
  if (mlxLm?.installed) {
    const mlxDir = await placeTinyModel(path.join(h.home, 'tiny-mlx'), 'mlx');
    await h.createProfile({ name: 'tiny-mlx', engine: 'mlx-lm', model: mlxDir, start_timeout_seconds: 180, env: { HF_HUB_OFFLINE: '1' } });
  }
  openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: h.key, maxRetries: 0, timeout: 120_000 });
  anthropic = new Anthropic({ baseURL: h.url, apiKey: h.key, maxRetries: 0, timeout: 120_000 });
}, 180_000);

afterAll(async () => {
  await h?.close();
});

const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: {} } } }];

describe('built-in engine on the tiny GGUF, started by the first request', () => {
  it('answers a chat completion (with tools offered) with the sentence the weights encode', async () => {
    const r = await openai.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'What do you say?' }], tools, max_tokens: 40, temperature: 0 });
    expect(r.choices[0]?.message.content?.trim()).toBe(TINY_MODEL_SENTENCE);
    expect(r.usage?.completion_tokens).toBeGreaterThan(3);
  }, 120_000);

  it('streams the sentence, and the audit log has the tokens and a throughput sample', async () => {
    const stream = await openai.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'Again?' }], max_tokens: 40, temperature: 0, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text.trim()).toBe(TINY_MODEL_SENTENCE);
    const [record] = await h.audit();
    expect(record).toMatchObject({ requested_model: 'tiny', backend: 'local', status: 200 });
    expect(record!.tokens_out).toBeGreaterThan(3);
    expect(h.ctx.app.gatewayThroughput.tokensPerSecond(record!.target_id!)).toBeGreaterThan(0);
  }, 60_000);

  it('answers the Anthropic SDK through conversion, streaming and not', async () => {
    const msg = await anthropic.messages.create({ model: 'tiny', max_tokens: 40, system: 'Be yourself.', messages: [{ role: 'user', content: 'Say it.' }] });
    expect(msg.content[0]).toMatchObject({ type: 'text' });
    expect((msg.content[0] as Anthropic.TextBlock).text.trim()).toBe(TINY_MODEL_SENTENCE);
    expect(msg.usage.output_tokens).toBeGreaterThan(3);
    const final = await anthropic.messages.stream({ model: 'tiny', max_tokens: 40, messages: [{ role: 'user', content: 'Say it.' }] }).finalMessage();
    expect((final.content[0] as Anthropic.TextBlock).text.trim()).toBe(TINY_MODEL_SENTENCE);
  }, 60_000);

  it('relays text completions and embeddings to the engine', async () => {
    const done = await openai.completions.create({ model: 'tiny', prompt: 'Hello', max_tokens: 20, temperature: 0 });
    expect(done.choices[0]?.text.length).toBeGreaterThan(0);
    const emb = await openai.embeddings.create({ model: 'tiny', input: ['one', 'two'] });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0]!.embedding.length).toBeGreaterThan(0);
  }, 60_000);

  it('an image the text-only engine cannot read is a clear 400 from the engine, in the client’s envelope', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const err = await anthropic.messages
      .create({ model: 'tiny', max_tokens: 20, messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }] }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', source: 'upstream' } });
  }, 60_000);
});

describe('mlx_lm.server behind the gateway', () => {
  if (mlxLm?.installed) {
    it('answers through /v1 once started on demand (the venv says it is installed)', async () => {
      const r = await openai.chat.completions.create({ model: 'tiny-mlx', messages: [{ role: 'user', content: 'What do you say?' }], max_tokens: 40, temperature: 0 });
      expect(r.choices[0]?.message.content?.trim()).toBe(TINY_MODEL_SENTENCE);
      const stream = await openai.chat.completions.create({ model: 'tiny-mlx', messages: [{ role: 'user', content: 'Again?' }], max_tokens: 40, temperature: 0, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text.trim()).toBe(TINY_MODEL_SENTENCE);
    }, 240_000);
  } else {
    // Not installed here: say so, and make sure that is really the case (a venv that gained
    // mlx_lm.server without engines.json being updated fails this test).
    it(`is not installed in the project venv (${mlxLm?.reason ?? 'no .venv/engines.json entry'})`, () => {
      expect(existsSync(path.join(VENV_BIN, 'mlx_lm.server'))).toBe(false);
    });
  }
});
