// Setup shared by the suites that run real engines, one function per concern: what the setup
// scripts installed (.venv/engines.json), the venv's executables, the tiny model on disk or
// downloaded from the fake hub, a supervisor in a temp folder, and a gateway route to a local
// profile. Engines the setup records as installed must answer; one it records as missing must say
// why (MLXM_SKIP_ENGINES_VENV=1, or a failed install), and a missing engines.json fails: nothing
// here ever turns a missing engine into a skip.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateProfileRequest } from '@mlx-manager/contract';
import { expect, it } from 'vitest';
import { EngineDiscovery } from '../../src/engines/launchers/discover.js';
import { Supervisor } from '../../src/engines/supervisor.js';
import { HubClient } from '../../src/hub/client.js';
import { downloadSnapshot } from '../../src/hub/downloader.js';
import { startFakeHub } from '../fixtures/fake-hub/index.js';
import { buildTinyModelFiles, TINY_GGUF_FILE, writeTinyModel, type TinyModelFormat } from '../fixtures/tiny-model/index.js';
import { startGatewayHarness, type GatewayHarness } from '../gateway/harness.js';

// ── .venv/engines.json (scripts/setup-python.sh writes it; setup-llama-server.sh and
//    setup-engines-venv.sh add their engines) ──────────────────────────────────────────────

export interface EngineEntry {
  installed: boolean;
  executable?: string;
  version?: string;
  /** What the executable itself reports when that differs from the package version (llama-server built from the sdist). */
  reportsVersion?: string;
  reason?: string;
  /** A copy kept only for its argument parser when the engine cannot be installed here. */
  argvCheck?: { executable: string; version: string };
}

export interface EnginesDoc {
  engines: Record<string, EngineEntry>;
  /** Python packages next to the engines, name → version. */
  tools: Record<string, string | null>;
}

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ENGINES_JSON = path.join(ROOT, '.venv/engines.json');
export const VENV_BIN = path.join(ROOT, '.venv/bin');

export function readEnginesDoc(): EnginesDoc | null {
  if (!existsSync(ENGINES_JSON)) return null;
  return JSON.parse(readFileSync(ENGINES_JSON, 'utf8')) as EnginesDoc;
}

/** The engines the setup recorded, or null when it never ran. */
export function readEnginesJson(): Record<string, EngineEntry> | null {
  return readEnginesDoc()?.engines ?? null;
}

/** The whole record; throws, saying which script writes it, when it is not there. */
export function requireEnginesDoc(): EnginesDoc {
  const doc = readEnginesDoc();
  if (!doc) throw new Error(`${ENGINES_JSON} missing: run scripts/setup-python.sh`);
  return doc;
}

/** "vllm-mlx 0.6.0" when installed, else "vllm-mlx (not installed: why)". */
export function engineLabel(kind: string, entry: EngineEntry | undefined): string {
  return entry?.installed ? `${kind} ${entry.version ?? '?'}` : `${kind} (not installed: ${entry?.reason ?? 'not listed in .venv/engines.json'})`;
}

/** The folder holding the engine's executable (for discovery), or null when none is recorded. */
export function binDirOf(entry: EngineEntry | undefined): string | null {
  return entry?.executable ? path.dirname(entry.executable) : null;
}

/** The executable whose argument parser can be asked: the installed engine, else its argv-check copy. */
export function parserExecutable(entry: EngineEntry | undefined): string | undefined {
  return entry?.installed ? entry.executable : entry?.argvCheck?.executable;
}

const NOT_INSTALLED_TITLE = 'is not installed here, and engines.json says why';

/**
 * Declares `tests` when engines.json records the engine as installed. Otherwise declares one test,
 * titled `missingTitle`, that passes only if engines.json says why the engine is missing: no
 * engines.json, or no entry, fails.
 */
export function ifInstalled(entry: EngineEntry | undefined, tests: (entry: EngineEntry) => void, missingTitle = NOT_INSTALLED_TITLE): void {
  if (!entry?.installed) {
    it(missingTitle, () => {
      expect(entry?.reason ?? '', 'engines.json must say why an engine is missing').not.toBe('');
    });
    return;
  }
  tests(entry);
}

// ── The project venv ─────────────────────────────────────────────────────────────────────

/** `name` in the project venv's bin folder; throws, saying how to create the venv, when it is missing. */
export function venvExecutable(name: string): string {
  const file = path.join(VENV_BIN, name);
  if (!existsSync(file)) throw new Error(`${name} missing (${file}): create the venv with \`bash scripts/setup-python.sh\``);
  return file;
}

// ── The tiny model ───────────────────────────────────────────────────────────────────────

/** What an engine's --model takes for the tiny model written in `dir`: the folder (MLX) or the file (GGUF). */
export async function placeTinyModel(dir: string, format: TinyModelFormat): Promise<string> {
  await writeTinyModel(dir, { format });
  return format === 'gguf' ? path.join(dir, TINY_GGUF_FILE) : dir;
}

const TINY_REPO: Record<TinyModelFormat, string> = { mlx: 'mlx-manager-fixtures/tiny-mlx', gguf: 'mlx-manager-fixtures/tiny-gguf' };

export interface TinyModelHub {
  /** Downloads the format's repo with our downloader into the cache; returns what --model takes (see placeTinyModel). */
  download(format: TinyModelFormat): Promise<string>;
  close(): Promise<void>;
}

/** A fake hub publishing the tiny model in each of `formats`, and a client downloading into `cacheDir` (Hugging Face cache layout). */
export async function startTinyModelHub(cacheDir: string, formats: TinyModelFormat[]): Promise<TinyModelHub> {
  const tags: Record<TinyModelFormat, string[]> = { mlx: ['mlx', 'llama'], gguf: ['gguf', 'llama'] };
  const repos = formats.map((format) => ({
    id: TINY_REPO[format],
    tags: tags[format],
    files: [...buildTinyModelFiles(format)].map(([p, content]) => ({ path: p, content: Buffer.from(content) })),
  }));
  const hub = await startFakeHub({ repos });
  const client = new HubClient({ endpoint: hub.url });
  return {
    async download(format) {
      const { snapshotDir } = await downloadSnapshot({ repo: TINY_REPO[format] }, { client, cacheDir });
      return format === 'gguf' ? path.join(snapshotDir, TINY_GGUF_FILE) : snapshotDir;
    },
    async close() {
      await client.close();
      await hub.close();
    },
  };
}

// ── A supervisor, a gateway ──────────────────────────────────────────────────────────────

export interface SupervisorBench {
  /** A fresh temp folder, removed by close(); the supervisor keeps its data in `data/` below it. */
  work: string;
  supervisor: Supervisor;
  close(): Promise<void>;
}

/** A temp folder and a supervisor that finds engines only in `venvBin` (never on PATH). */
export async function openSupervisorBench(prefix: string, venvBin: string | null = VENV_BIN): Promise<SupervisorBench> {
  const work = await mkdtemp(path.join(tmpdir(), prefix));
  const supervisor = new Supervisor({ dataDir: path.join(work, 'data'), discovery: new EngineDiscovery({ venvBin, pathEnv: '' }), stopGraceMs: 5000 });
  return {
    work,
    supervisor,
    async close() {
      await supervisor.shutdown();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** A gateway finding engines in the project venv, whose exact route `model` goes to a new local profile (started by the first request). */
export async function startRoutedGateway(model: string, profile: Partial<CreateProfileRequest> & Pick<CreateProfileRequest, 'name' | 'engine' | 'model'>): Promise<GatewayHarness> {
  const h = await startGatewayHarness({ venvBin: VENV_BIN });
  try {
    const created = await h.createProfile(profile);
    await h.addRoute({ match: 'exact', pattern: model, targets: [{ profile_id: created.id }] });
    return h;
  } catch (e) {
    await h.close();
    throw e;
  }
}
