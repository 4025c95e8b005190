// Finds an engine's executable (configured path, the project venv, PATH), reads its version and
// probes its `--help` once per executable file (cached by path + mtime), so argv building only
// passes flags the installed version accepts.
import { constants } from 'node:fs';
import { access, open, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCapture } from '../run-capture.js';
import { BUILTIN_FLAGS } from './builtin.js';
import { parseHelpFlags } from './argv-builder.js';
import type { EngineCaps, LaunchProfile, Launcher } from './types.js';

export interface DiscoveryOptions {
  /** The project venv's bin folder (`.venv/bin`), searched before PATH. */
  venvBin?: string | null;
  /** PATH to search; defaults to the manager's. */
  pathEnv?: string;
}

export type Discovery = { ok: true; caps: EngineCaps } | { ok: false; reason: string };

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const st = await stat(file);
    if (!st.isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable among `names` in the configured path, the venv, then PATH. */
export async function findExecutable(names: readonly string[], configured: string | null, options: DiscoveryOptions): Promise<string | null> {
  if (configured) {
    const st = await stat(configured).catch(() => null);
    if (st?.isDirectory()) {
      for (const n of names) if (await isExecutableFile(path.join(configured, n))) return path.resolve(configured, n);
      return null;
    }
    return (await isExecutableFile(configured)) ? path.resolve(configured) : null;
  }
  const dirs = [options.venvBin ?? null, ...(options.pathEnv ?? process.env.PATH ?? '').split(path.delimiter)].filter((d): d is string => !!d);
  for (const dir of dirs) for (const n of names) if (await isExecutableFile(path.join(dir, n))) return path.resolve(dir, n);
  return null;
}

/** The interpreter of a `#!…python…` console script, else null. */
async function pythonOf(executable: string): Promise<string | null> {
  const fh = await open(executable, 'r').catch(() => null);
  if (!fh) return null;
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const first = buf.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
    const m = /^#!\s*(\S*python[\w.]*)\s*$/.exec(first);
    return m ? (m[1] as string) : null;
  } finally {
    await fh.close();
  }
}

const VERSION_RE = /(\d+\.\d+(?:\.\d+)?(?:[.-]?[A-Za-z0-9]+)?)/;

async function readVersion(launcher: Launcher, executable: string): Promise<string | null> {
  if (launcher.pythonPackage) {
    const python = await pythonOf(executable);
    if (python) {
      const r = await runCapture(python, ['-c', 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))', launcher.pythonPackage], { timeoutMs: 20_000 });
      if (r.code === 0 && r.stdout.trim()) return r.stdout.trim();
    }
  }
  const r = await runCapture(executable, [...(launcher.versionArgs ?? ['--version'])], { timeoutMs: 20_000 });
  // llama-server prints `version: 1234 (abc)`; mlx-openai-server `Version: 1.7.0`.
  const text = `${r.stdout}\n${r.stderr}`;
  const labelled = /version:?\s*v?(\S+)/i.exec(text);
  if (r.code === 0 && labelled) return (labelled[1] as string).replace(/[,;]$/, '');
  const any = r.code === 0 ? VERSION_RE.exec(text) : null;
  return any ? (any[1] as string) : null;
}

/** The built-in engine: node + its compiled script, or the TypeScript source through tsx. */
export async function builtinCommand(): Promise<{ executable: string; prefixArgs: string[] } | null> {
  const js = fileURLToPath(new URL('../builtin/main.js', import.meta.url));
  if (await isExecutableOrReadable(js)) return { executable: process.execPath, prefixArgs: [js] };
  const ts = fileURLToPath(new URL('../builtin/main.ts', import.meta.url));
  if (!(await isExecutableOrReadable(ts))) return null;
  // Resolved to an absolute URL: the engine's cwd need not be inside the project.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { executable: process.execPath, prefixArgs: ['--import', tsx, ts] };
}

/**
 * What the built-in engine reports as its version: its inference library's, not Node's (a tile
 * saying "v20.20.2" read as an engine version). The package exports no package.json, so the
 * file is found from its entry point upwards.
 */
export async function builtinEngineVersion(): Promise<string> {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve('node-llama-cpp'));
    for (let depth = 0; depth < 5; depth += 1, dir = path.dirname(dir)) {
      const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '{}')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'node-llama-cpp' && typeof manifest.version === 'string') return `built-in (node-llama-cpp ${manifest.version})`;
    }
  } catch {
    // not installed: the engine cannot load a model either, and says so when it starts
  }
  return 'built-in';
}

async function isExecutableOrReadable(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Caches help probes per executable file version (path + mtime + size). */
export class EngineDiscovery {
  private readonly cache = new Map<string, Promise<{ version: string | null; flags: ReadonlySet<string> | null }>>();

  constructor(private readonly options: DiscoveryOptions = {}) {}

  async discover(launcher: Launcher, profile: Pick<LaunchProfile, 'executable' | 'command'>): Promise<Discovery> {
    if (launcher.kind === 'builtin') {
      const cmd = await builtinCommand();
      if (!cmd) return { ok: false, reason: 'the built-in engine script (engines/builtin/main) is missing' };
      return { ok: true, caps: { executable: cmd.executable, prefixArgs: cmd.prefixArgs, version: await builtinEngineVersion(), flags: BUILTIN_FLAGS } };
    }
    if (launcher.kind === 'custom') {
      const first = profile.command[0];
      if (!first) return { ok: false, reason: 'a custom profile needs a command' };
      const exe = path.isAbsolute(first) ? ((await isExecutableFile(first)) ? first : null) : await findExecutable([first], null, this.options);
      if (!exe) return { ok: false, reason: `${first} not found or not executable` };
      return { ok: true, caps: { executable: exe, prefixArgs: [], version: null, flags: null } };
    }
    const exe = await findExecutable(launcher.executableNames, profile.executable, this.options);
    if (!exe) {
      const where = profile.executable ? `at ${profile.executable}` : `in the project venv or on PATH`;
      return { ok: false, reason: `${launcher.executableNames.join(' / ')} not found ${where}` };
    }
    const info = await this.probe(launcher, exe);
    return { ok: true, caps: { executable: exe, prefixArgs: [...launcher.subcommand], ...info } };
  }

  private async probe(launcher: Launcher, exe: string): Promise<{ version: string | null; flags: ReadonlySet<string> | null }> {
    const st = await stat(exe);
    const key = `${launcher.kind}\0${exe}\0${st.mtimeMs}\0${st.size}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = (async () => {
        const [version, help] = await Promise.all([readVersion(launcher, exe), runCapture(exe, [...launcher.subcommand, '--help'], { timeoutMs: 30_000 })]);
        const text = `${help.stdout}\n${help.stderr}`;
        const flags = help.code === 0 ? parseHelpFlags(text) : null;
        return { version, flags };
      })();
      this.cache.set(key, hit);
    }
    return hit;
  }
}

/** The project's Python venv bin folder (`<checkout>/.venv/bin`), from this module's place in src/ or dist/. */
export function projectVenvBin(): string {
  return fileURLToPath(new URL('../../../../.venv/bin', import.meta.url));
}
