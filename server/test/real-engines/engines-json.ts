// What the setup scripts installed on this machine, as recorded in .venv/engines.json
// (scripts/setup-python.sh writes it; setup-llama-server.sh and setup-engines-venv.sh add their
// engines). The real-engine suites read it to decide which engines must answer.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EngineEntry {
  installed: boolean;
  executable?: string;
  version?: string;
  /** What the executable itself reports when that differs from the package version (llama-server built from the sdist). */
  reportsVersion?: string;
  reason?: string;
}

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ENGINES_JSON = path.join(ROOT, '.venv/engines.json');
export const VENV_BIN = path.join(ROOT, '.venv/bin');

export function readEnginesJson(): Record<string, EngineEntry> | null {
  if (!existsSync(ENGINES_JSON)) return null;
  return (JSON.parse(readFileSync(ENGINES_JSON, 'utf8')) as { engines: Record<string, EngineEntry> }).engines;
}

/** "vllm-mlx 0.6.0" when installed, else "vllm-mlx (not installed: why)". */
export function engineLabel(kind: string, entry: EngineEntry | undefined): string {
  return entry?.installed ? `${kind} ${entry.version ?? '?'}` : `${kind} (not installed: ${entry?.reason ?? 'not listed in .venv/engines.json'})`;
}
