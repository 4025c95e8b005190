// Real engine suite, part 1: the built-in engine (node-llama-cpp) serves the tiny GGUF model
// after our downloader fetched it from the fake hub into the Hugging Face cache layout, and the
// real openai client gets the model's fixed sentence back, streaming and not.
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnEngine, waitHealthy, type RunningEngine } from '../engines/builtin/spawn-engine.js';
import { buildTinyModelFiles, TINY_GGUF_FILE, TINY_MODEL_SENTENCE } from '../fixtures/tiny-model/index.js';
import { startTinyModelHub, type TinyModelHub } from './setup.js';

let work: string;
let hub: TinyModelHub;
let engine: RunningEngine | undefined;
let modelPath: string;
let client: OpenAI;
const model = buildTinyModelFiles('gguf');

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'real-builtin-'));
  hub = await startTinyModelHub(path.join(work, 'hub'), ['gguf']);
  modelPath = await hub.download('gguf');

  const port = await freePort();
  engine = spawnEngine(['--model', modelPath, '--host', '127.0.0.1', '--port', String(port), '--alias', 'tiny-gguf']);
  await waitHealthy(`http://127.0.0.1:${port}`, engine);
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 30_000 });
});

afterAll(async () => {
  engine?.stop();
  await hub?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('built-in engine on the tiny GGUF model from the fake hub', () => {
  it('serves the very bytes the hub published, from the cache snapshot', async () => {
    expect(await realpath(modelPath)).toContain(`${path.sep}blobs${path.sep}`);
    expect(Buffer.compare(await readFile(modelPath), Buffer.from(model.get(TINY_GGUF_FILE)!))).toBe(0);
  });

  it('answers a chat completion with the fixed sentence', async () => {
    const r = await client.chat.completions.create({ model: 'tiny-gguf', messages: [{ role: 'user', content: 'What do you say?' }] });
    expect(r.choices[0]?.message.content).toBe(TINY_MODEL_SENTENCE);
    expect(r.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams the fixed sentence', async () => {
    const stream = await client.chat.completions.create({ model: 'tiny-gguf', messages: [{ role: 'user', content: 'And streaming?' }], stream: true });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(TINY_MODEL_SENTENCE);
    expect(chunks).toBeGreaterThan(3);
  });

  it('stops cleanly on SIGTERM and leaves no process behind', async () => {
    const pid = engine!.child.pid!;
    engine!.child.kill('SIGTERM');
    expect(await engine!.exited()).toEqual({ code: 0, signal: null });
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
