// Real engine suite, part 3: mlx-openai-server and vllm-mlx from the engines venv
// (scripts/setup-engines-venv.sh) serve the tiny MLX model on Linux CPU through the supervisor —
// readiness, chat plain and streaming, a profile with parsers set, clean stop — and vllm-mlx's
// own Anthropic endpoint answers through the gateway's pass-through. An engine that
// .venv/engines.json records as installed must answer: this FAILS, it never skips.
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { EngineKind } from '@mlx-manager/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeProfile } from '../engines/helpers.js';
import { TINY_MODEL_SENTENCE } from '../fixtures/tiny-model/index.js';
import type { GatewayHarness } from '../gateway/harness.js';
import { engineLabel, ifInstalled, openSupervisorBench, placeTinyModel, readEnginesJson, startRoutedGateway, type SupervisorBench } from './setup.js';
import { throughSupervisor } from './through-supervisor.js';

const engines = readEnginesJson();
const KINDS: EngineKind[] = ['mlx-openai-server', 'vllm-mlx'];
// Both load the model before they bind, and mlx-openai-server imports torch first: minutes on a busy 2-core machine.
const START_SECONDS = 300;

let bench: SupervisorBench;
let mlxDir: string;

beforeAll(async () => {
  bench = await openSupervisorBench('real-engines-3-');
  mlxDir = await placeTinyModel(path.join(bench.work, 'tiny-mlx'), 'mlx');
});

afterAll(async () => {
  await bench?.close();
});

for (const kind of KINDS) {
  const entry = engines?.[kind];
  // Not installed: reported by name with the reason setup recorded (MLXM_SKIP_ENGINES_VENV=1 or a failed install).
  describe(engineLabel(kind, entry), () => ifInstalled(entry, (entry) => {
    it('starts through the supervisor, answers plain and streaming, reports its version, stops with nothing left', async () => {
      const { supervisor } = bench;
      const profile = makeProfile({ engine: kind, model: mlxDir, port: await freePort(), start_timeout_seconds: START_SECONDS, env: { HF_HUB_OFFLINE: '1' } });
      await throughSupervisor(supervisor, profile, mlxDir, async () => {
        expect(supervisor.status(profile.id).engineVersion).toBe(entry.version);
      });
    }, 2 * START_SECONDS * 1000);

    // vllm-mlx 0.6.0's qwen3 reasoning parser, given text without think tags, answers it as content
    // but streams it as reasoning_content; mlx-openai-server keeps it as the answer both ways.
    const parsedInto = kind === 'vllm-mlx' ? ({ plain: 'content', stream: 'reasoning' } as const) : ({ plain: 'content', stream: 'content' } as const);
    it(`a profile with tool-call and reasoning parsers (qwen3) starts and answers (text as ${parsedInto.plain}, streamed as ${parsedInto.stream})`, async () => {
      const profile = makeProfile({
        engine: kind,
        model: mlxDir,
        port: await freePort(),
        served_model_name: 'tiny-parsers',
        tool_call_parser: 'qwen3',
        reasoning_parser: 'qwen3',
        enable_auto_tool_choice: true,
        start_timeout_seconds: START_SECONDS,
        env: { HF_HUB_OFFLINE: '1' },
      });
      await throughSupervisor(bench.supervisor, profile, 'tiny-parsers', async ({ client }) => {
        const models = await client.models.list();
        expect(models.data.map((m) => m.id)).toContain('tiny-parsers');
      }, parsedInto);
    }, 2 * START_SECONDS * 1000);
  }));
}

describe(`${engineLabel('vllm-mlx', engines?.['vllm-mlx'])} behind the gateway`, () => ifInstalled(engines?.['vllm-mlx'], () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startRoutedGateway('claude-tiny', { name: 'tiny-vllm', engine: 'vllm-mlx', model: mlxDir, served_model_name: 'tiny-vllm', start_timeout_seconds: START_SECONDS, env: { HF_HUB_OFFLINE: '1' } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('/v1/messages through a route reaches its own Anthropic endpoint (pass-through), started on demand', async () => {
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: h.key, maxRetries: 0, timeout: START_SECONDS * 1000 });
    const msg = await anthropic.messages.create({ model: 'claude-tiny', max_tokens: 40, messages: [{ role: 'user', content: 'Say it.' }] });
    expect(msg.type).toBe('message');
    expect((msg.content[0] as Anthropic.TextBlock).text.trim()).toBe(TINY_MODEL_SENTENCE);
    const [record] = await h.audit();
    expect(record).toMatchObject({ requested_model: 'claude-tiny', backend: 'local', status: 200, endpoint: '/v1/messages' });
  }, 2 * START_SECONDS * 1000);

  it('quirk of vllm-mlx 0.6.0: max_tokens 20 ends with stop_reason/finish_reason "length" and 50 completion tokens', async () => {
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: h.key, maxRetries: 0, timeout: 120_000 });
    const msg = await anthropic.messages.create({ model: 'claude-tiny', max_tokens: 20, messages: [{ role: 'user', content: 'Say it.' }] });
    // It reports the limit as reached and counts past max_tokens: clients see max_tokens, not end_turn.
    expect({ stop: msg.stop_reason, out: msg.usage.output_tokens }).toEqual({ stop: 'max_tokens', out: 50 });
  }, 120_000);
}));
