// Real engine suite, part 4: llama.cpp's llama-server (built by scripts/setup-llama-server.sh)
// serves the tiny GGUF model through the supervisor — named by --alias, ready only once /health
// says ok (503 while the model loads), chat plain and streaming, clean stop — and its own
// Anthropic endpoint answers through the gateway's pass-through. If .venv/engines.json records
// it as installed it must answer: this FAILS, it never skips.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeProfile } from '../engines/helpers.js';
import { TINY_MODEL_SENTENCE } from '../fixtures/tiny-model/index.js';
import type { GatewayHarness } from '../gateway/harness.js';
import { engineLabel, ifInstalled, openSupervisorBench, placeTinyModel, readEnginesJson, startRoutedGateway, type SupervisorBench } from './setup.js';
import { throughSupervisor } from './through-supervisor.js';

const entry = readEnginesJson()?.['llama-server'];

let bench: SupervisorBench;
let ggufFile: string;

beforeAll(async () => {
  bench = await openSupervisorBench('real-engines-4-');
  ggufFile = await placeTinyModel(bench.work, 'gguf');
});

afterAll(async () => {
  await bench?.close();
});

/** Polls GET /health until it says 200 (bounded), recording each distinct answer in order. */
async function watchHealth(url: string, stopAfterMs: number): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + stopAfterMs;
  while (Date.now() < deadline) {
    const status = await fetch(`${url}/health`).then((r) => String(r.status), () => 'refused');
    if (seen.at(-1) !== status) seen.push(status);
    if (status === '200') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return seen;
}

describe(engineLabel('llama-server', entry), () => ifInstalled(entry, () => {
  it('starts through the supervisor under its --alias, ready on /health 200, chats plain and streaming, stops with nothing left', async () => {
    const profile = makeProfile({ engine: 'llama-server', model: ggufFile, port: await freePort(), served_model_name: 'tiny-alias', threads: 1, start_timeout_seconds: 120 });
    const health = watchHealth(`http://127.0.0.1:${profile.port}`, 120_000);
    const { supervisor } = bench;
    await throughSupervisor(supervisor, profile, 'tiny-alias', async ({ client }) => {
      expect((await client.models.list()).data.map((m) => m.id)).toContain('tiny-alias');
      expect(supervisor.status(profile.id).engineVersion).not.toBeNull();
    });
    // Before the model is in memory it refuses or says 503; the supervisor waited for the 200.
    const seen = await health;
    expect(seen.at(-1)).toBe('200');
    expect(seen.filter((s) => !['refused', '503', '200'].includes(s))).toEqual([]);
  }, 300_000);
}));

describe(`${engineLabel('llama-server', entry)} behind the gateway`, () => ifInstalled(entry, () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startRoutedGateway('claude-tiny', { name: 'tiny-llama', engine: 'llama-server', model: ggufFile, served_model_name: 'tiny-llama', threads: 1, start_timeout_seconds: 120 });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('/v1/messages through a route reaches its own Anthropic endpoint (pass-through), streaming and not', async () => {
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: h.key, maxRetries: 0, timeout: 180_000 });
    const msg = await anthropic.messages.create({ model: 'claude-tiny', max_tokens: 40, messages: [{ role: 'user', content: 'Say it.' }] });
    expect(msg.type).toBe('message');
    expect((msg.content[0] as Anthropic.TextBlock).text.trim()).toBe(TINY_MODEL_SENTENCE);
    expect(msg.usage.output_tokens).toBeGreaterThan(3);
    const final = await anthropic.messages.stream({ model: 'claude-tiny', max_tokens: 40, messages: [{ role: 'user', content: 'Say it.' }] }).finalMessage();
    expect((final.content[0] as Anthropic.TextBlock).text.trim()).toBe(TINY_MODEL_SENTENCE);
    const records = await h.audit();
    expect(records.map((r) => [r.endpoint, r.status, r.backend])).toEqual([
      ['/v1/messages', 200, 'local'],
      ['/v1/messages', 200, 'local'],
    ]);
  }, 240_000);
}));
