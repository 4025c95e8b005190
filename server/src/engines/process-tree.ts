// Process facts the supervisor needs, without a shell: liveness, start time (to tell a pid from a
// reused one), the process table (to find a whole tree), and group signalling.
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { runCapture } from './run-capture.js';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
}

/** Linux: the state letter of /proc/<pid>/stat, or null when there is no such process. */
function linuxState(pid: number): string | null {
  try {
    return statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * True when a process with this pid exists and is not a zombie. A zombie has exited; it only
 * waits for a parent to reap it, and an orphan's new parent (PID 1 in a container) may never do so.
 */
export function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    const state = linuxState(pid);
    return state !== null && state !== 'Z' && state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signals a whole process group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Live (non-zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM' ? [pgid] : [];
    }
  }
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const f = statFields(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (Number(f[2]) === pgid && f[0] !== 'Z' && f[0] !== 'X') members.push(Number(name));
    } catch {
      // The process ended between listing and reading: not a member any more.
      continue;
    }
  }
  return members;
}

export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `done` every 50 ms until true or `ms` passed; returns the last answer. */
export async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Stops a process group: SIGTERM, then SIGKILL to whatever is left after `graceMs`, then waits
 * (bounded) until no member is left. Returns how it ended.
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<'terminated' | 'killed' | 'survived'> {
  if (!groupAlive(pgid)) return 'terminated';
  signalGroup(pgid, 'SIGTERM');
  if (await waitUntil(() => !groupAlive(pgid), graceMs)) return 'terminated';
  signalGroup(pgid, 'SIGKILL');
  return (await waitUntil(() => !groupAlive(pgid), 5000)) ? 'killed' : 'survived';
}

/** Fields after the `(comm)` of /proc/<pid>/stat (comm may contain spaces and parentheses). */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
}

/**
 * An opaque, stable token for when a process started: /proc starttime (clock ticks since boot) on
 * Linux, `ps -o lstart` elsewhere. Null when the process is gone.
 */
export async function processStartTime(pid: number): Promise<string | null> {
  if (process.platform === 'linux') {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (!text) return null;
    return statFields(text)[19] ?? null;
  }
  const r = await runCapture('ps', ['-o', 'lstart=', '-p', String(pid)], { timeoutMs: 5000 });
  const out = r.stdout.trim();
  return r.code === 0 && out ? out : null;
}

/** The whole process table (pid, ppid, pgid). */
export async function listProcesses(): Promise<ProcessEntry[]> {
  if (process.platform === 'linux') {
    const names = await readdir('/proc').catch(() => [] as string[]);
    const entries = await Promise.all(
      names
        .filter((n) => /^\d+$/.test(n))
        .map(async (n) => {
          const text = await readFile(`/proc/${n}/stat`, 'utf8').catch(() => null);
          if (!text) return null;
          const f = statFields(text);
          return { pid: Number(n), ppid: Number(f[1]), pgid: Number(f[2]) };
        }),
    );
    return entries.filter((e): e is ProcessEntry => e !== null);
  }
  const r = await runCapture('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { timeoutMs: 5000 });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every(Number.isFinite))
    .map(([pid, ppid, pgid]) => ({ pid: pid as number, ppid: ppid as number, pgid: pgid as number }));
}

/** The root and every descendant or group member of it. Pure. */
export function treeOf(root: number, table: readonly ProcessEntry[]): number[] {
  const byParent = new Map<number, number[]>();
  for (const e of table) byParent.set(e.ppid, [...(byParent.get(e.ppid) ?? []), e.pid]);
  const seen = new Set<number>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of byParent.get(pid) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      queue.push(child);
    }
  }
  // Engines that re-parent their workers still keep our process group.
  for (const e of table) if (e.pgid === root) seen.add(e.pid);
  return [...seen].filter((pid) => pid === root || table.some((e) => e.pid === pid));
}
