// One engine process: spawned in its own process group without a shell, in a working directory
// of its own, its output sent to the profile's log; its exit observed (as our child, or by polling
// when adopted from a previous manager) and its whole group stopped. No state machine here.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { engineEnv } from './engine-env.js';
import type { LaunchSpec } from './launchers/types.js';
import { groupAlive, isAlive, terminateGroup } from './process-tree.js';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  error: string | null;
}

export interface EngineProcess {
  pid: number;
  /** Null when adopted from a previous manager (not our child: exit is detected by polling). */
  child: ChildProcess | null;
  exited: Promise<ExitInfo>;
  spec: LaunchSpec | null;
}

export interface SpawnOptions {
  cwd: string;
  /** Engine output (stdout and stderr), as it arrives. */
  onOutput: (data: Buffer) => void;
  /** The manager's own notes about the process. */
  onNote: (text: string) => void;
  /**
   * Variables the manager adds under the launcher's and the profile's (the hub token, endpoint
   * and cache): kept out of `spec`, which is kept for the engine's lifetime.
   */
  managerEnv?: Record<string, string>;
}

/**
 * `<data>/run/<profile>/`, 0700: the engine's working directory. Not the data folder, which holds
 * the manager's keys and database; engines write relative files (logs, caches) here instead.
 */
export function engineWorkDir(dataDir: string, profileId: string): string {
  const dir = path.join(dataDir, 'run', encodeURIComponent(profileId));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // it may exist from an older version with looser permissions
  return dir;
}

/** Spawns `spec` in a new process group. Resolves to the process, or why nothing runs. */
export async function spawnEngine(spec: LaunchSpec, options: SpawnOptions): Promise<EngineProcess | { error: string }> {
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      // Own process group: stop and reap signal the whole tree, and a manager crash is recoverable.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: engineEnv(process.env, { ...options.managerEnv, ...spec.env }),
      cwd: options.cwd,
    });
  } catch (err) {
    return { error: (err as Error).message };
  }
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (err) => {
      options.onNote(`process error: ${err.message}`);
      if (child.pid === undefined) resolve({ code: null, signal: null, error: err.message });
    });
    child.once('exit', (code, sig) => {
      // Output still in the pipes explains the exit: let it reach the log (bounded wait, since a
      // grandchild holding the pipe open would delay 'close' forever).
      void Promise.race([closed, new Promise((r) => setTimeout(r, 500))]).then(() => resolve({ code, signal: sig, error: null }));
    });
  });
  child.stdout?.on('data', options.onOutput);
  child.stderr?.on('data', options.onOutput);
  if (child.pid === undefined) {
    // Spawn errors (ENOENT, EACCES) are reported asynchronously; no pid means nothing runs.
    return exited.then((info) => ({ error: info.error ?? 'no process' }));
  }
  return { pid: child.pid, child, exited, spec };
}

/** A process left by a previous manager: no exit event, so its exit is polled. */
export function adoptedProcess(pid: number): EngineProcess {
  return { pid, child: null, exited: pollExit(pid), spec: null };
}

/**
 * Stops the whole group: SIGTERM, SIGKILL after `graceMs`, then waits (bounded) for our child's
 * exit so its last output is in the log. Returns what it took.
 */
export async function stopEngine(proc: EngineProcess, graceMs: number): Promise<'terminated' | 'killed' | 'survived'> {
  const how = await terminateGroup(proc.pid, graceMs);
  if (proc.child) await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 2000))]);
  return how;
}

/** After the leader exited or a start failed: no member of its group may survive. */
export async function reapGroup(proc: EngineProcess, graceMs: number): Promise<void> {
  if (groupAlive(proc.pid)) await terminateGroup(proc.pid, Math.min(graceMs, 2000));
}

export function describeExit(info: ExitInfo): string {
  if (info.error) return `could not run (${info.error})`;
  if (info.signal) return `was killed by ${info.signal}`;
  return `exited with code ${info.code ?? 'unknown'}`;
}

function pollExit(pid: number): Promise<ExitInfo> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!isAlive(pid)) {
        clearInterval(timer);
        resolve({ code: null, signal: null, error: null });
      }
    }, 1000);
    timer.unref();
  });
}
