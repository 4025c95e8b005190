import { isGgufEngine, pickModelFile, REPO_ID_PATTERN, type EngineInfo, type EngineKind, type LocalModel, type LocalModelFile } from '@mlx-manager/contract';
import { formatBytes } from '$lib/format.js';

/*
 * Which engine a new profile starts with, what the form says about each engine on this machine,
 * and the GGUF file a repo-id profile runs: pure rules over GET /api/system and the local files.
 */

export interface EngineStatus {
  /** undefined while the machine's engines are not known yet. */
  installed: boolean | undefined;
  version: string | null;
  /** Why it is missing, and how to get it. */
  reason: string | null;
  installHint: string | null;
}

export function engineStatus(engine: EngineKind, engines: readonly EngineInfo[] | undefined): EngineStatus {
  // A custom command is whatever program the admin names: nothing to find beforehand.
  if (engine === 'custom') return { installed: true, version: null, reason: null, installHint: null };
  const info = engines?.find((e) => e.engine === engine);
  if (!info) return { installed: undefined, version: null, reason: null, installHint: null };
  return { installed: info.found, version: info.version, reason: info.found ? null : info.reason, installHint: info.found ? null : info.install_hint };
}

/** A select label that says at once whether this machine has the engine. */
export function engineLabel(label: string, status: EngineStatus): string {
  if (status.installed === false) return `${label} — not installed`;
  return status.version ? `${label} · ${status.version}` : label;
}

/** Looks like a GGUF repo or file (by name: the hub's GGUF repos say so in their ids). */
export function looksGguf(model: string): boolean {
  return /gguf/i.test(model);
}

const MLX_ENGINES: readonly EngineKind[] = ['mlx-lm', 'mlx-openai-server', 'vllm-mlx'];

/**
 * The engine a new profile starts with: the built-in engine for GGUF (it always works), else the
 * first MLX engine this machine has; with none found, the built-in engine for an unnamed model
 * and mlx-lm for an MLX repo (its start then says how to install it).
 */
export function defaultEngine(model: string, engines: readonly EngineInfo[] | undefined): EngineKind {
  if (looksGguf(model)) return 'builtin';
  const found = MLX_ENGINES.find((e) => engineStatus(e, engines).installed === true);
  if (found) return found;
  return model.trim() === '' && engines !== undefined ? 'builtin' : 'mlx-lm';
}

export function isRepoId(model: string): boolean {
  return REPO_ID_PATTERN.test(model.trim());
}

/** Is this repo in the local cache? undefined while the local list is unknown or the model is a path. */
export function isDownloaded(model: string, local: readonly LocalModel[], loaded: boolean): boolean | undefined {
  if (!isRepoId(model) || !loaded) return undefined;
  return local.some((m) => m.id === model.trim());
}

/** Does a GGUF profile on this model need a file picked from the repo? */
export function needsModelFile(engine: EngineKind, model: string): boolean {
  return isGgufEngine(engine) && isRepoId(model);
}

export interface FileOption {
  value: string;
  label: string;
}

/** The loadable GGUFs of a repo as select options: quantization and size first, then the path. */
export function modelFileOptions(files: readonly LocalModelFile[]): FileOption[] {
  return files
    .filter((f) => f.loadable_gguf)
    .map((f) => ({ value: f.path, label: `${f.quantization ?? 'GGUF'} · ${formatBytes(f.size_bytes, 1)} — ${f.path}` }));
}

/** The file to show as chosen: the current one if it is still there, else the only one, else none. */
export function chosenModelFile(current: string, files: readonly LocalModelFile[]): string {
  const paths = files.filter((f) => f.loadable_gguf).map((f) => f.path);
  if (current !== '' && paths.includes(current)) return current;
  return pickModelFile(paths) ?? current;
}
