import type { EngineKind } from '@mlx-manager/contract';
import { builtinLauncher } from './builtin.js';
import { customLauncher } from './custom.js';
import { llamaServerLauncher } from './llama-server.js';
import { mlxLmLauncher } from './mlx-lm.js';
import { mlxOpenAiServerLauncher } from './mlx-openai-server.js';
import type { Launcher } from './types.js';
import { vllmMlxLauncher } from './vllm-mlx.js';

export const LAUNCHERS: Readonly<Record<EngineKind, Launcher>> = {
  'mlx-openai-server': mlxOpenAiServerLauncher,
  'mlx-lm': mlxLmLauncher,
  'vllm-mlx': vllmMlxLauncher,
  'llama-server': llamaServerLauncher,
  builtin: builtinLauncher,
  custom: customLauncher,
};

export function launcherFor(kind: EngineKind): Launcher {
  return LAUNCHERS[kind];
}

export type { EngineCaps, LaunchProfile, LaunchSpec, Launcher, ReadinessProbe } from './types.js';
