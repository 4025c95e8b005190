// The built-in engine as a real child process serving the tiny GGUF model through
// node-llama-cpp, driven over loopback by the real openai client.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGguf } from '../../fixtures/tiny-model/gguf.js';
import { TINY_GGUF_FILE, TINY_MODEL_SENTENCE, writeTinyModel } from '../../fixtures/tiny-model/index.js';
import { freePort, spawnEngine, waitHealthy, type RunningEngine } from './spawn-engine.js';

let dir: string;
let modelPath: string;
const started: RunningEngine[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'builtin-engine-'));
  await writeTinyModel(dir, { format: 'gguf' });
  modelPath = path.join(dir, TINY_GGUF_FILE);
});

afterAll(async () => {
  for (const e of started) e.stop();
  await rm(dir, { recursive: true, force: true });
});

function start(args: string[]): RunningEngine {
  const engine = spawnEngine(args);
  started.push(engine);
  return engine;
}

// No crash dump: no llama.cpp assertion, no abort, no JavaScript stack trace.
function expectNoCrashDump(stderr: string): void {
  expect(stderr).not.toMatch(/GGML_ASSERT|Assertion|Aborted|core dumped|\n\s+at /);
}

describe('serving the tiny GGUF model', () => {
  let engine: RunningEngine;
  let base: string;
  let client: OpenAI;
  let readiness: (number | 'refused')[];
  const user = [{ role: 'user' as const, content: 'Hello there' }];

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    engine = start(['--model', modelPath, '--host', '127.0.0.1', '--port', String(port), '--alias', 'tiny', '--parallel', '2', '--ctx-size', '4096', '--threads', '1']);
    readiness = await waitHealthy(base, engine);
    client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 30_000 });
  });

  it('answers 503 while loading and 200 once the model is loaded', async () => {
    expect(readiness.at(-1)).toBe(200);
    expect(readiness.filter((s) => s !== 'refused')).toEqual([503, 200]);
    expect(engine.stdout()).toMatch(/model loaded in \d+ms: llama, context 2048 tokens per slot, 2 slot\(s\), 1 thread\(s\)/);
  });

  it('lists the model under its alias with its context size', async () => {
    const res = await fetch(`${base}/v1/models`);
    const body = (await res.json()) as { data: { id: string; meta: Record<string, unknown> }[] };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]?.id).toBe('tiny');
    expect(body.data[0]?.meta).toMatchObject({ architecture: 'llama', n_ctx: 2048, slots: 2, n_ctx_train: 2048 });
  });

  it('answers a chat completion with the fixed sentence', async () => {
    const r = await client.chat.completions.create({ model: 'tiny', messages: user });
    expect(r.choices[0]?.message.content).toBe(TINY_MODEL_SENTENCE);
    expect(r.choices[0]?.finish_reason).toBe('stop');
    expect(r.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(r.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams the fixed sentence', async () => {
    const stream = await client.chat.completions.create({ model: 'tiny', messages: user, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let deltas = 0;
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) deltas++;
      text += delta ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(TINY_MODEL_SENTENCE);
    expect(deltas).toBeGreaterThan(1);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('serves two requests at once, one per slot', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => client.chat.completions.create({ model: 'tiny', messages: user })));
    expect(answers.map((a) => a.choices[0]?.message.content)).toEqual([TINY_MODEL_SENTENCE, TINY_MODEL_SENTENCE, TINY_MODEL_SENTENCE]);
  });

  it('honours max_tokens and stop', async () => {
    const short = await client.chat.completions.create({ model: 'tiny', messages: user, max_tokens: 2, temperature: 0 });
    expect(short.choices[0]?.finish_reason).toBe('length');
    expect(short.usage?.completion_tokens).toBe(2);
    expect(TINY_MODEL_SENTENCE.startsWith(short.choices[0]?.message.content ?? 'x')).toBe(true);
    const stopped = await client.chat.completions.create({ model: 'tiny', messages: user, stop: [' model'], seed: 1, top_p: 0.9 });
    expect(stopped.choices[0]?.message.content).toBe('The tiny fixture');
    expect(stopped.choices[0]?.finish_reason).toBe('stop');
  });

  it('accepts tools with a system prompt and answers in text when the model calls none', async () => {
    const r = await client.chat.completions.create({
      model: 'tiny',
      messages: [{ role: 'system', content: 'You may use tools.' }, ...user],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
    });
    expect(r.choices[0]?.message.content).toBe(TINY_MODEL_SENTENCE);
    expect(r.choices[0]?.finish_reason).toBe('stop');
  });

  it('constrains the answer to a JSON schema (response_format)', async () => {
    const r = await client.chat.completions.create({
      model: 'tiny',
      messages: user,
      max_tokens: 40,
      response_format: { type: 'json_schema', json_schema: { name: 'flag', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } } },
    });
    expect(JSON.parse(r.choices[0]?.message.content ?? '')).toEqual({ ok: expect.any(Boolean) });
  });

  it('answers completions, streaming and not', async () => {
    const r = await client.completions.create({ model: 'tiny', prompt: 'Once upon a time', max_tokens: 3 });
    expect(r.choices[0]?.text).toBe('The tiny fixture');
    expect(r.choices[0]?.finish_reason).toBe('length');
    const stream = await client.completions.create({ model: 'tiny', prompt: 'Once upon a time', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(TINY_MODEL_SENTENCE);
  });

  it('answers empty prompts again and again', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await client.completions.create({ model: 'tiny', prompt: '', max_tokens: 2 });
      expect(r.choices[0]?.text).toBe('The tiny');
    }
  });

  it('answers embeddings', async () => {
    const r = await client.embeddings.create({ model: 'tiny', input: ['hello', 'world'] });
    expect(r.data).toHaveLength(2);
    expect(r.data[0]?.embedding).toHaveLength(64);
    expect(r.data[0]?.embedding.every(Number.isFinite)).toBe(true);
    expect(r.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('refuses bad input in the OpenAI shape', async () => {
    const malformed = await fetch(`${base}/v1/chat/completions`, { method: 'POST', body: '{"messages":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json' } });
    await expect(client.chat.completions.create({ model: 'tiny', messages: [] })).rejects.toMatchObject({ status: 400, param: 'messages' });
    await expect(client.chat.completions.create({ model: 'other', messages: user })).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    await expect(client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'word '.repeat(3000) }] })).rejects.toMatchObject({
      status: 400, code: 'context_length_exceeded',
    });
    // Still serving after all that.
    const r = await client.chat.completions.create({ model: 'tiny', messages: user });
    expect(r.choices[0]?.message.content).toBe(TINY_MODEL_SENTENCE);
  });

  it('exits 0 on SIGTERM and stops listening', async () => {
    engine.child.kill('SIGTERM');
    const { code, signal } = await engine.exited();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(engine.stdout()).toContain('SIGTERM: shutting down');
    expectNoCrashDump(engine.stderr());
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});

// Each test below spawns an engine; on a busy machine a start alone can take seconds.
const SPAWN_TEST_TIMEOUT = 90_000;

describe('refusing to start', { timeout: SPAWN_TEST_TIMEOUT }, () => {
  it('refuses a malformed GGUF with a clear message and no crash dump', async () => {
    // The tiny model with its tensor count rewritten to an absurd value: llama.cpp would try to
    // allocate for it; the header check refuses first.
    const bytes = Buffer.from(await readFile(modelPath));
    bytes.writeBigUInt64LE(1n << 40n, 8);
    const bad = path.join(dir, 'bad.gguf');
    await writeFile(bad, bytes);
    const engine = start(['--model', bad, '--host', '127.0.0.1', '--port', '0']);
    const { code, signal } = await engine.exited();
    expect({ code, signal }).toEqual({ code: 1, signal: null });
    expect(engine.stderr()).toContain(`mlx-manager builtin engine: invalid GGUF file ${bad}: tensor count 1099511627776 exceeds`);
    expect(engine.stderr().trim().split('\n')).toHaveLength(1);
    expectNoCrashDump(engine.stderr());
  });

  it('refuses a truncated GGUF', async () => {
    const bytes = await readFile(modelPath);
    const cut = path.join(dir, 'cut.gguf');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const engine = start(['--model', cut, '--port', '0']);
    expect((await engine.exited()).code).toBe(1);
    expect(engine.stderr()).toMatch(/invalid GGUF file .*cut\.gguf: tensor ".+" ends past the end of the file/);
    expectNoCrashDump(engine.stderr());
  });

  it('exits 1 with llama.cpp\'s own reason for a well-formed GGUF it cannot load', async () => {
    const martian = path.join(dir, 'martian.gguf');
    await writeFile(martian, encodeGguf([['general.architecture', { type: 'string', value: 'martian' }]], [{ name: 'w', dims: [8], data: new Uint8Array(32) }]));
    const engine = start(['--model', martian, '--port', '0']);
    expect((await engine.exited()).code).toBe(1);
    expect(engine.stderr()).toContain(`mlx-manager builtin engine: cannot load model ${martian}: unknown model architecture: 'martian'`);
    expectNoCrashDump(engine.stderr());
  });

  it('refuses a missing model file and a bad command line', async () => {
    const missing = start(['--model', path.join(dir, 'nope.gguf'), '--port', '0']);
    const badArgs = start(['--model', modelPath, '--port', '0', '--parallel', 'many']);
    expect((await missing.exited()).code).toBe(1);
    expect(missing.stderr()).toContain('model file not found');
    expect((await badArgs.exited()).code).toBe(2);
    expect(badArgs.stderr()).toContain('--parallel must be a whole number');
    expect(badArgs.stderr()).toContain('usage:');
  });

  it('exits 0 on SIGTERM while the model is still loading', async () => {
    const port = await freePort();
    const engine = start(['--model', modelPath, '--host', '127.0.0.1', '--port', String(port)]);
    for (let i = 0; i < 400 && !engine.stdout().includes('listening on'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(engine.stdout()).toContain('listening on');
    engine.child.kill('SIGTERM');
    expect(await engine.exited()).toEqual({ code: 0, signal: null });
    expectNoCrashDump(engine.stderr());
  });
});
