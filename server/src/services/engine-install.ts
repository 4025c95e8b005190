// How to get an engine this machine lacks, in words, and why the project's Python setup could
// not install one (`.venv/engines.json`, written by scripts/setup-python.sh).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineKind } from '@mlx-manager/contract';

const INSTALL_HINTS: Readonly<Record<Exclude<EngineKind, 'custom'>, string>> = {
  'mlx-lm': 'run `bash scripts/setup-python.sh` in the project folder (it installs mlx-lm into .venv), or `pip install mlx-lm`',
  'mlx-openai-server': 'on Apple Silicon run `bash scripts/setup-python.sh`, or `pip install mlx-openai-server`',
  'vllm-mlx': 'on Apple Silicon run `pip install vllm-mlx` in the project venv (.venv)',
  'llama-server': 'install llama.cpp so that `llama-server` is on PATH (`brew install llama.cpp` on macOS, or a llama.cpp release build), or have an admin set its path in the profile',
  builtin: 'run `npm install` in the project folder (it installs node-llama-cpp)',
};

/** A sentence saying how to install the engine; null for a custom command (nothing to install). */
export function installHint(engine: EngineKind): string | null {
  return engine === 'custom' ? null : INSTALL_HINTS[engine];
}

/** Executable names → engine kind, to recognise which engine a "not found" start failure is about. */
const EXECUTABLES: ReadonlyArray<[RegExp, EngineKind]> = [
  [/mlx_lm\.server/, 'mlx-lm'],
  [/mlx-openai-server/, 'mlx-openai-server'],
  [/vllm-mlx/, 'vllm-mlx'],
  [/llama-server/, 'llama-server'],
  [/built-in engine/, 'builtin'],
];

export function engineNamedIn(text: string): EngineKind | null {
  return EXECUTABLES.find(([re]) => re.test(text))?.[1] ?? null;
}

/**
 * Why setup-python.sh left an engine out ("it requires torchvision (torch) on Linux"), per kind;
 * empty when the file is missing or unreadable (a checkout where setup never ran).
 */
export async function venvEngineReasons(venvDir: string): Promise<Partial<Record<EngineKind, string>>> {
  try {
    const data = JSON.parse(await readFile(join(venvDir, 'engines.json'), 'utf8')) as { engines?: Record<string, { installed?: unknown; reason?: unknown }> };
    const out: Partial<Record<EngineKind, string>> = {};
    for (const [kind, entry] of Object.entries(data.engines ?? {})) {
      if (entry.installed === false && typeof entry.reason === 'string' && entry.reason.length <= 500) out[kind as EngineKind] = entry.reason;
    }
    return out;
  } catch {
    return {};
  }
}
