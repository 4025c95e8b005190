// The capability table in the contract is what the launchers do: a setting the table gives an
// engine changes its command line, any other one set becomes a warning naming it. The web form
// reads the same table, so the two can no longer drift apart.
import { ENGINE_CAPABILITIES, ENGINE_SETTINGS, ProfileFields, type EngineKind, type EngineSetting } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { launcherFor } from './index.js';
import type { EngineCaps, LaunchProfile } from './types.js';

const caps: EngineCaps = { executable: '/usr/bin/engine', prefixArgs: [], version: '1.0', flags: null };

const SAMPLE: Record<Exclude<EngineSetting, 'executable' | 'command'>, unknown> = {
  context_length: 4096,
  max_concurrency: 2,
  queue_timeout_seconds: 60,
  queue_size: 10,
  threads: 4,
  served_model_name: 'alias',
  tool_call_parser: 'qwen3',
  reasoning_parser: 'qwen3',
  message_converter: 'glm4_moe',
  enable_auto_tool_choice: true,
  trust_remote_code: true,
  chat_template_file: '/t.jinja',
};

function profile(engine: EngineKind, extra: Record<string, unknown> = {}): LaunchProfile {
  const model = engine === 'builtin' || engine === 'llama-server' ? '/m/model.gguf' : 'org/model';
  const command = engine === 'custom' ? ['/bin/srv', '--port', '{port}'] : [];
  return { ...ProfileFields.parse({ name: 'p', engine, model, port: 9000, command, ...extra }), id: 'id' };
}

const argvSettings = Object.keys(SAMPLE) as (keyof typeof SAMPLE)[];

describe.each(Object.keys(ENGINE_CAPABILITIES) as EngineKind[])('%s', (engine) => {
  const launcher = launcherFor(engine);
  const baseline = launcher.buildArgv(profile(engine), caps).args;

  it.each(argvSettings)('%s: passed when the table says so, warned otherwise', (field) => {
    const spec = launcher.buildArgv(profile(engine, { [field]: SAMPLE[field] }), caps);
    const warned = spec.warnings.some((w) => w.startsWith(`${field} `));
    if (ENGINE_CAPABILITIES[engine].settings.has(field)) {
      expect(spec.args).not.toEqual(baseline);
      expect(warned).toBe(false);
    } else {
      expect(spec.args).toEqual(baseline);
      expect(warned).toBe(true);
    }
  });

  it('covers every setting of the table', () => {
    for (const s of ENGINE_CAPABILITIES[engine].settings) expect(ENGINE_SETTINGS).toContain(s);
  });
});

describe('unsafe models never reach a command line', () => {
  it.each(['custom', 'mlx-lm', 'vllm-mlx'] as const)('%s refuses to build one', (engine) => {
    const p = { ...profile(engine), model: '/x; id > /tmp/pwned' };
    expect(() => launcherFor(engine).buildArgv(p, caps)).toThrow(/refusing to build a command line/);
  });
});
