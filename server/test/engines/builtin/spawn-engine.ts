// Runs the built-in engine from source as the supervisor would (its own process, no shell) and
// collects its output; every wait is bounded and `stop()` kills by PID whatever is left.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENGINE_MAIN = fileURLToPath(new URL('../../../src/engines/builtin/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface RunningEngine {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal, or rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): void;
}

// One free-port helper for every engine suite; re-exported so callers keep one import.
export { freePort } from '../helpers.js';

export function spawnEngine(args: string[]): RunningEngine {
  const child = spawn(process.execPath, ['--import', 'tsx', ENGINE_MAIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    // Generous: on a loaded 2-core machine node + tsx alone can take several seconds to start.
    exited: (timeoutMs = 60_000) =>
      Promise.race([
        exit,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`engine did not exit within ${timeoutMs} ms\n${err}`)), timeoutMs).unref()),
      ]),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone between the check and the kill
        }
      }
    },
  };
}

/**
 * Polls /health until 200 and returns every answer seen on the way: "refused" before the port
 * opens, then 503s while the model loads, then 200.
 */
export async function waitHealthy(base: string, engine: RunningEngine, timeoutMs = 90_000): Promise<(number | 'refused')[]> {
  const seen: (number | 'refused')[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (engine.child.exitCode !== null) throw new Error(`engine exited with ${engine.child.exitCode}: ${engine.stderr()}`);
    let status: number | 'refused';
    try {
      status = (await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) })).status;
    } catch {
      status = 'refused';
    }
    if (seen.at(-1) !== status) seen.push(status);
    if (status === 200) return seen;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`engine not healthy within ${timeoutMs} ms; saw ${seen.join(' → ')}\n${engine.stderr()}`);
}
