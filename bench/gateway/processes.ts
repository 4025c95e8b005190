// Child processes of the gateway benchmark (the fake upstream, our server, Portkey's gateway):
// started without a shell, awaited until they listen, sampled for RSS, stopped by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import pidusage from 'pidusage';
export { freePort } from '../../server/test/helpers/free-port.js';

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** stdout and stderr so far (bounded), for error messages. */
  log(): string;
  stop(): Promise<void>;
}

export function startChild(command: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString('utf8')).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    pid: proc.pid ?? 0,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first stdout line matching `pattern` (its first group), or rejects on exit/timeout. */
export function waitForLine(child: Child, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => done(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${child.log()}`)), timeoutMs);
    const onData = (d: Buffer) => {
      buffer += d.toString('utf8');
      const m = pattern.exec(buffer);
      if (m) done(null, m[1] ?? m[0]);
    };
    const onExit = (code: number | null) => done(new Error(`exited (${code}) before listening:\n${child.log()}`));
    const done = (err: Error | null, value?: string) => {
      clearTimeout(timer);
      child.proc.stdout?.off('data', onData);
      child.proc.off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    };
    child.proc.stdout?.on('data', onData);
    child.proc.once('exit', onExit);
  });
}

/** Waits (bounded) until something accepts TCP connections on the port. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
}

/** Resident memory of a process, in MB (10^6 bytes, as the targets are written). */
export async function rssMB(pid: number): Promise<number> {
  return (await pidusage(pid)).memory / 1e6;
}

/** Forgets pidusage's per-process history (its timers would keep the benchmark alive). */
export const forgetRss = (): void => pidusage.clear();

/** Samples a process's RSS every 100 ms until stopped; `stop` gives the peak in MB. */
export function rssSampler(pid: number): () => { stop(): Promise<number | null> } {
  return () => {
    let peak = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        peak = Math.max(peak, await rssMB(pid).catch(() => 0));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return peak || null;
      },
    };
  };
}
