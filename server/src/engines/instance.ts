// One profile's engine as the supervisor holds it: the status snapshot the outside sees, and the
// private bookkeeping of its queue (running process, start in progress, waiters, last use). Only
// the supervisor mutates an Instance, and only on the profile's queue (see supervisor.ts).
import type { EngineProcess } from './engine-process.js';
import type { LaunchProfile } from './launchers/types.js';
import type { RotatingLog } from './log-file.js';
import { nextRevision } from './revision.js';

export type InstanceState = 'stopped' | 'starting' | 'ready' | 'stopping' | 'failed';

export interface InstanceStatus {
  profileId: string;
  state: InstanceState;
  /** Grows with every change of this status, across manager restarts too (see revision.ts). */
  revision: number;
  pid: number | null;
  host: string;
  port: number;
  startedAt: string | null;
  readyAt: string | null;
  error: string | null;
  logExcerpt: string[] | null;
  exitCode: number | null;
  exitSignal: string | null;
  /** Leases granted and not yet released. */
  inFlight: number;
  /** When the last request ended (or the engine became ready); idle unload and eviction count from it. */
  lastUsedAt: string | null;
  warnings: string[];
  engineVersion: string | null;
  adopted: boolean;
}

export type StartFailure = 'engine_not_found' | 'port_in_use' | 'spawn_failed' | 'crashed' | 'timeout' | 'cancelled';

export class StartError extends Error {
  constructor(
    message: string,
    readonly reason: StartFailure,
    readonly status: InstanceStatus,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

/** States in which an engine holds its port (and memory). */
export const ACTIVE_STATES: ReadonlySet<InstanceState> = new Set(['starting', 'ready', 'stopping']);

export class Instance {
  queue: Promise<unknown> = Promise.resolve();
  running: EngineProcess | null = null;
  startPromise: Promise<InstanceStatus> | null = null;
  startAbort: AbortController | null = null;
  profile: LaunchProfile | null = null;
  /** The `model` string the running engine expects in requests. */
  upstreamModel = '';
  idleTimer: NodeJS.Timeout | null = null;
  lastUsedAt = Date.now();
  /** Callers of acquire() not granted yet: they make the engine busy (never evicted). */
  waiting = 0;
  /** Starts that failed, ever: a waiter that saw one fail after it arrived shares that failure. */
  failedStarts = 0;
  lastStartError: StartError | null = null;
  /** Model size on disk, counted against the memory budget while loaded. */
  sizeBytes = 0;
  /** Admitted under the memory budget, start not finished yet: counted as loaded and busy. */
  reserved = false;
  /** Set by admission when the model could not be made to fit; shown as a warning of the start. */
  budgetWarning: string | null = null;
  status: InstanceStatus;

  constructor(
    readonly profileId: string,
    readonly log: RotatingLog,
  ) {
    this.status = {
      profileId,
      state: 'stopped',
      revision: nextRevision(),
      pid: null,
      host: '127.0.0.1',
      port: 0,
      startedAt: null,
      readyAt: null,
      error: null,
      logExcerpt: null,
      exitCode: null,
      exitSignal: null,
      inFlight: 0,
      lastUsedAt: null,
      warnings: [],
      engineVersion: null,
      adopted: false,
    };
  }

  /** Requests in flight or waiting, or a start under way: such an engine is never unloaded. */
  busy(): number {
    return this.status.inFlight + this.waiting + (this.reserved || this.status.state === 'starting' ? 1 : 0);
  }
}
