// The `model` string each engine expects: a wrong one makes mlx_lm.server load another model and
// vllm-mlx answer 404, so every kind is pinned here.
import { ProfileFields, type CreateProfileRequest, type EngineKind } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { launcherFor } from './index.js';
import type { LaunchProfile } from './types.js';

function profile(engine: EngineKind, fields: Partial<CreateProfileRequest> = {}): LaunchProfile {
  const model = engine === 'builtin' || engine === 'llama-server' ? '/models/qwen/Qwen3-0.6B-Q4_K_M.gguf' : 'mlx-community/Qwen3-8B-4bit';
  const extra = engine === 'custom' ? { command: ['/bin/engine', '--port', '{port}'] } : {};
  return { ...ProfileFields.parse({ name: 'p', engine, model, port: 8081, ...extra, ...fields }), id: 'id-1' };
}

const withFlags = (...flags: string[]) => ({ flags: new Set(flags) });

describe('upstreamModel', () => {
  it.each<[EngineKind, string]>([
    ['mlx-lm', 'mlx-community/Qwen3-8B-4bit'],
    ['mlx-openai-server', 'mlx-community/Qwen3-8B-4bit'],
    ['vllm-mlx', 'mlx-community/Qwen3-8B-4bit'],
    ['llama-server', '/models/qwen/Qwen3-0.6B-Q4_K_M.gguf'],
    ['builtin', 'Qwen3-0.6B-Q4_K_M.gguf'],
    ['custom', 'mlx-community/Qwen3-8B-4bit'],
  ])('%s without a served name → %s', (engine, want) => {
    expect(launcherFor(engine).upstreamModel(profile(engine), null)).toBe(want);
  });

  it.each<[EngineKind, string]>([
    ['vllm-mlx', '--served-model-name'],
    ['mlx-openai-server', '--served-model-name'],
    ['llama-server', '--alias'],
    ['builtin', '--alias'],
  ])('%s with a served name passed as %s → the served name', (engine, flag) => {
    expect(launcherFor(engine).upstreamModel(profile(engine, { served_model_name: 'qwen' }), withFlags(flag))).toBe('qwen');
  });

  it('falls back to the model when the installed version has no renaming flag (it was not passed)', () => {
    const p = profile('vllm-mlx', { served_model_name: 'qwen' });
    expect(launcherFor('vllm-mlx').upstreamModel(p, withFlags('--host'))).toBe('mlx-community/Qwen3-8B-4bit');
    // Flags unknown: the builder passed it anyway, so the engine answers to it.
    expect(launcherFor('vllm-mlx').upstreamModel(p, { flags: null })).toBe('qwen');
  });

  it('mlx_lm.server always gets its exact --model string (it has no served name)', () => {
    expect(launcherFor('mlx-lm').upstreamModel(profile('mlx-lm', { served_model_name: 'qwen' }), withFlags())).toBe('mlx-community/Qwen3-8B-4bit');
  });
});
