// The engine supervisor: one state machine per profile (stopped → starting → ready → stopping,
// plus failed), with ONE writer. Every transition and every lease grant runs on the profile's
// serial queue; callers never read a state and act on it themselves. Loads that need room pass
// one machine-wide admission step (memory budget, evictions) before entering their queue, so two
// loads never interleave their evictions. See DESIGN.md beside this file.
import path from 'node:path';
import { adoptedProcess, describeExit, engineWorkDir, reapGroup, spawnEngine, stopEngine, type EngineProcess } from './engine-process.js';
import { Admission } from './admission.js';
import { idleUnloadDelay, type LoadedModel } from './eviction-policy.js';
import { ACTIVE_STATES, Instance, StartError, type InstanceStatus, type StartFailure } from './instance.js';
import { EngineDiscovery } from './launchers/discover.js';
import { launcherFor } from './launchers/index.js';
import type { LaunchProfile } from './launchers/types.js';
import { AcquireError, LeaseWaiter, type Lease } from './lease.js';
import { RotatingLog, tailLines, type LogFileOptions, DEFAULT_LOG_OPTIONS } from './log-file.js';
import { portFree } from './port-check.js';
import { processStartTime } from './process-tree.js';
import { probeBaseUrl, readyOrExit } from './readiness.js';
import { answersReadiness, recoverRecords, type RecoverResult } from './recovery.js';
import { redactArgv } from './redact.js';
import { nextRevision } from './revision.js';
import { RunRecordStore, type RunRecord } from './run-records.js';

export { StartError, type InstanceState, type InstanceStatus, type StartFailure } from './instance.js';
export { AcquireError, type AcquireFailure, type Lease } from './lease.js';

export interface SupervisorOptions {
  /** Data folder: logs in `logs/engines/`, run records and engine working directories in `run/`. */
  dataDir: string;
  discovery?: EngineDiscovery;
  /** SIGTERM → SIGKILL grace period. */
  stopGraceMs?: number;
  log?: LogFileOptions;
  /** Lines of log kept in a failure's excerpt. */
  excerptLines?: number;
  /** Bytes the engines may hold together, read before each load; null (or absent) = no limit. */
  memoryBudgetBytes?: () => number | null;
  /** A profile's model size on disk in bytes; null when unknown (then it is not counted). */
  modelSize?: (profile: LaunchProfile) => Promise<number | null>;
  /** Callers that may wait for one profile's lease at once; more get `queue_full`. Default 1000. */
  maxWaiting?: number;
  /**
   * Hub variables for the engine (token, endpoint, cache: see hub-env.ts), read at each spawn so
   * a changed setting applies to the next start. Never logged.
   */
  hubEnv?: () => Record<string, string>;
}

export interface AcquireOptions {
  /** The client went away: stop waiting (nothing is left counted). */
  signal?: AbortSignal;
  /** Longest wait for a lease, load included. Default: the profile's start timeout + 30 s. */
  timeoutMs?: number;
}

type QueuedStart = InstanceStatus | 'needs_admission';

export const DEFAULT_MAX_WAITING = 1000;
/** Added to the profile's start timeout for the default wait: a queued start may follow a stop. */
export const WAIT_MARGIN_MS = 30_000;

export class Supervisor {
  private readonly instances = new Map<string, Instance>();
  private readonly listeners = new Set<(status: InstanceStatus) => void>();
  private readonly discovery: EngineDiscovery;
  private readonly records: RunRecordStore;
  private readonly graceMs: number;
  private readonly excerptLines: number;
  /** The machine-wide step before a load: memory budget and evictions, one load at a time. */
  private readonly admission: Admission;
  private closed = false;

  constructor(private readonly options: SupervisorOptions) {
    this.discovery = options.discovery ?? new EngineDiscovery();
    this.records = new RunRecordStore(path.join(options.dataDir, 'run'));
    this.graceMs = options.stopGraceMs ?? 10_000;
    this.excerptLines = options.excerptLines ?? 40;
    this.admission = new Admission({
      budgetBytes: () => (this.closed ? null : (options.memoryBudgetBytes?.() ?? null)),
      modelSize: (profile) => options.modelSize?.(profile) ?? Promise.resolve(null),
      loaded: (exceptId) => this.loadedModels(exceptId),
      evict: (id, forProfile) => {
        const victim = this.instances.get(id);
        return victim ? this.enqueue(victim, () => this.doEvict(victim, forProfile)) : Promise.resolve(false);
      },
    });
  }

  /** Every transition (and in-flight change), as a fresh snapshot. Returns the unsubscribe. */
  onChange(listener: (status: InstanceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  logFile(profileId: string): string {
    return path.join(this.options.dataDir, 'logs', 'engines', `${encodeURIComponent(profileId)}.log`);
  }

  tail(profileId: string, lines: number): string[] {
    return tailLines(this.logFile(profileId), lines);
  }

  /** Live log text of one profile (engine output and the manager's notes). */
  followLog(profileId: string, listener: (text: string) => void): () => void {
    return this.instance(profileId).log.follow(listener);
  }

  status(profileId: string): InstanceStatus {
    const inst = this.instance(profileId);
    // A start queued but not yet begun already reads as starting (a view; only the queue writes).
    // It keeps the stored revision: the start's own transitions come later with higher ones.
    const queued = inst.startPromise !== null && (inst.status.state === 'stopped' || inst.status.state === 'failed');
    return queued ? { ...inst.status, state: 'starting', error: null, logExcerpt: null } : { ...inst.status };
  }

  list(): InstanceStatus[] {
    return [...this.instances.values()].map((i) => ({ ...i.status }));
  }

  /** Pid and start of every running engine (for the metrics sampler). */
  runningPids(): { profileId: string; pid: number; readyAt: string | null; startedAt: string | null }[] {
    return [...this.instances.values()]
      .filter((i) => i.running && (i.status.state === 'ready' || i.status.state === 'starting'))
      .map((i) => ({ profileId: i.profileId, pid: (i.running as EngineProcess).pid, readyAt: i.status.readyAt, startedAt: i.status.startedAt }));
  }

  /**
   * Starts the profile's engine and resolves when the model answers. Idempotent: a ready engine
   * is returned as is, and concurrent calls join the start in progress (one process).
   */
  start(profile: LaunchProfile): Promise<InstanceStatus> {
    const inst = this.instance(profile.id);
    if (inst.startPromise) return inst.startPromise;
    const abort = new AbortController();
    const promise = this.runStart(inst, profile, abort.signal);
    inst.startPromise = promise;
    inst.startAbort = abort;
    const clear = () => {
      if (inst.startPromise === promise) {
        inst.startPromise = null;
        inst.startAbort = null;
      }
    };
    promise.then(clear, clear);
    return promise;
  }

  /**
   * Stops the engine (cancelling a start in progress). Resolves when no process of it is left.
   * `force` skips the grace period (SIGKILL at once).
   */
  stop(profileId: string, options: { force?: boolean } = {}): Promise<InstanceStatus> {
    const inst = this.instance(profileId);
    inst.startAbort?.abort();
    return this.enqueue(inst, () => this.doStop(inst, options.force ? 0 : this.graceMs));
  }

  /** Forgets a profile's instance (after its profile was deleted and its engine stopped). */
  async forget(profileId: string): Promise<void> {
    const inst = this.instances.get(profileId);
    if (!inst) return;
    await this.stop(profileId);
    inst.log.close();
    this.instances.delete(profileId);
  }

  /** Stop then start, as one queued sequence. */
  async restart(profile: LaunchProfile): Promise<InstanceStatus> {
    await this.stop(profile.id);
    return this.start(profile);
  }

  /**
   * For the gateway: a lease on the ready engine, starting it or joining the start in progress.
   * The lease is built inside the profile's queue, so its address is that of the engine that
   * counted the request. Rejects with StartError (the start failed) or AcquireError (queue full,
   * wait timed out, caller aborted: nothing stays counted).
   */
  async acquire(profile: LaunchProfile, options: AcquireOptions = {}): Promise<Lease> {
    const inst = this.instance(profile.id);
    if (options.signal?.aborted) throw new AcquireError('the client went away before the request was queued', 'aborted');
    const max = this.options.maxWaiting ?? DEFAULT_MAX_WAITING;
    if (inst.waiting >= max) throw new AcquireError(`${max} requests already wait for this engine`, 'queue_full');
    const waiter = new LeaseWaiter(options.signal, options.timeoutMs ?? profile.start_timeout_seconds * 1000 + WAIT_MARGIN_MS);
    const failuresSeen = inst.failedStarts;
    inst.waiting++;
    this.clearIdle(inst);
    try {
      for (;;) {
        const lease = await waiter.race(this.enqueue(inst, async () => this.grant(inst, waiter)));
        if (lease) return lease;
        // A start that failed after this caller arrived is this caller's failure too (no retry storm).
        if (inst.failedStarts > failuresSeen && inst.lastStartError) throw inst.lastStartError;
        await waiter.race(this.start(profile));
      }
    } finally {
      waiter.dispose();
      inst.waiting--;
      this.scheduleIdle(inst);
    }
  }

  /**
   * Boot: engines recorded by a previous manager. A live one (same pid AND start time) is adopted
   * when `adopt` returns its profile, else its whole group is killed; a group whose leader is gone
   * but members survive is killed too. Stale records are dropped. Never an orphan.
   */
  recover(adopt: (record: RunRecord) => LaunchProfile | null = () => null): Promise<RecoverResult> {
    return recoverRecords(this.records, this.graceMs, async (record) => {
      const profile = adopt(record);
      if (!profile || profile.port !== record.port) return false;
      const inst = this.instance(profile.id);
      await this.enqueue(inst, () => this.doAdopt(inst, profile, record));
      return inst.status.state === 'ready';
    });
  }

  /** Stops every engine (manager shutdown). */
  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.instances.values()].map((i) => this.stop(i.profileId)));
    for (const i of this.instances.values()) i.log.close();
  }

  // ---- internals: the do* operations run on a profile's queue ----

  private instance(profileId: string): Instance {
    let inst = this.instances.get(profileId);
    if (!inst) {
      inst = new Instance(profileId, new RotatingLog(this.logFile(profileId), this.options.log ?? DEFAULT_LOG_OPTIONS));
      this.instances.set(profileId, inst);
    }
    return inst;
  }

  private enqueue<T>(inst: Instance, op: () => Promise<T>): Promise<T> {
    const next = inst.queue.then(op, op);
    inst.queue = next.catch(() => undefined);
    return next;
  }

  /** The one writer of a status: every change gets the next revision and is published as a snapshot. */
  private set(inst: Instance, patch: Partial<Omit<InstanceStatus, 'revision'>>): void {
    inst.status = { ...inst.status, ...patch, revision: nextRevision() };
    const snapshot = { ...inst.status };
    for (const l of this.listeners) {
      try {
        l(snapshot);
      } catch {
        // A listener's failure (e.g. a closed SSE client) must not break a transition.
        continue;
      }
    }
  }

  /** Start, then enter the queue: admission (budget, evictions) first, unless already loaded. */
  private async runStart(inst: Instance, profile: LaunchProfile, signal: AbortSignal): Promise<InstanceStatus> {
    for (;;) {
      const admitted = await this.admit(inst, profile);
      const outcome = await this.enqueue(inst, () => this.doStart(inst, profile, signal, admitted));
      // Loaded at admission but unloaded before our turn: admit again (it now needs room).
      if (outcome !== 'needs_admission') return outcome;
    }
  }

  /** Queue op: a lease if the engine is ready and the caller still waits; null otherwise. */
  private grant(inst: Instance, waiter: LeaseWaiter): Lease | null {
    const running = inst.running;
    if (inst.status.state !== 'ready' || !running || !waiter.claim()) return null;
    this.clearIdle(inst);
    this.set(inst, { inFlight: inst.status.inFlight + 1 });
    let released = false;
    return {
      profileId: inst.profileId,
      baseUrl: probeBaseUrl(inst.status.host, inst.status.port),
      upstreamModel: inst.upstreamModel,
      release: () => {
        if (released) return;
        released = true;
        // Outside the queue on purpose: it can only lower the count, which every queued
        // unload re-reads when it runs, so no unload can act on a stale "busy".
        inst.lastUsedAt = Date.now();
        this.set(inst, { inFlight: Math.max(0, inst.status.inFlight - 1), lastUsedAt: new Date(inst.lastUsedAt).toISOString() });
        this.scheduleIdle(inst);
      },
    };
  }

  /** Admission (see admission.ts) unless the engine is loaded already: then false, nothing done. */
  private async admit(inst: Instance, profile: LaunchProfile): Promise<boolean> {
    if (inst.running && inst.status.state === 'ready') return false;
    try {
      const admitted = await this.admission.admit(profile, (size) => {
        inst.sizeBytes = size;
        inst.reserved = true;
      });
      inst.budgetWarning = admitted.warning;
      return true;
    } catch (err) {
      inst.reserved = false; // no start follows: its reservation must not hold memory forever
      throw err;
    }
  }

  /** What holds memory now, except one profile: engines up or starting, and admitted starts. */
  private loadedModels(exceptId: string): LoadedModel[] {
    return [...this.instances.values()]
      .filter((i) => i.profileId !== exceptId && (i.reserved || (i.running !== null && ACTIVE_STATES.has(i.status.state))))
      .map((i) => ({ id: i.profileId, sizeBytes: i.sizeBytes, inFlight: i.busy(), lastUsedAt: i.lastUsedAt }));
  }

  /** Queue op: unload an idle engine for another's load; false when it became busy meanwhile. */
  private async doEvict(inst: Instance, forProfile: LaunchProfile): Promise<boolean> {
    if (inst.status.state !== 'ready' || !inst.running || inst.busy() > 0) return false;
    inst.log.note(`unloading to make room for profile ${forProfile.name} (memory budget)`);
    await this.doStop(inst);
    return true;
  }

  private fail(inst: Instance, reason: StartFailure, message: string, extra: Partial<Omit<InstanceStatus, 'revision'>> = {}): never {
    inst.log.note(`start failed: ${message}`);
    this.set(inst, { state: reason === 'cancelled' ? 'stopped' : 'failed', pid: null, error: reason === 'cancelled' ? null : message, logExcerpt: this.tail(inst.profileId, this.excerptLines), ...extra });
    const err = new StartError(message, reason, { ...inst.status });
    inst.failedStarts++;
    inst.lastStartError = err;
    throw err;
  }

  private async doStart(inst: Instance, profile: LaunchProfile, signal: AbortSignal, admitted: boolean): Promise<QueuedStart> {
    try {
      if (inst.status.state === 'ready' && inst.running) return { ...inst.status };
      if (!admitted) return 'needs_admission';
      return await this.load(inst, profile, signal);
    } finally {
      // Loaded (now counted as running), failed or not needed: the reservation ends here.
      if (admitted) inst.reserved = false;
    }
  }

  private async load(inst: Instance, profile: LaunchProfile, signal: AbortSignal): Promise<InstanceStatus> {
    if (this.closed) throw new StartError('the manager is shutting down', 'cancelled', { ...inst.status });
    this.clearIdle(inst);
    inst.profile = profile;
    this.set(inst, {
      state: 'starting',
      host: profile.host,
      port: profile.port,
      startedAt: new Date().toISOString(),
      readyAt: null,
      error: null,
      logExcerpt: null,
      exitCode: null,
      exitSignal: null,
      warnings: [],
      adopted: false,
    });
    const launcher = launcherFor(profile.engine);
    const found = await this.discovery.discover(launcher, profile);
    if (!found.ok) this.fail(inst, 'engine_not_found', found.reason);
    let spec: ReturnType<typeof launcher.buildArgv>;
    try {
      spec = launcher.buildArgv(profile, found.caps);
    } catch (err) {
      // The last guard (e.g. an unsafe model string) refuses the command line: a failed start,
      // never a profile stuck in "starting".
      this.fail(inst, 'spawn_failed', `cannot build the command line: ${err instanceof Error ? err.message : String(err)}`);
    }
    const warnings = inst.budgetWarning ? [...spec.warnings, inst.budgetWarning] : spec.warnings;
    inst.upstreamModel = launcher.upstreamModel(profile, found.caps);
    this.set(inst, { warnings, engineVersion: found.caps.version });
    const clash = [...this.instances.values()].find((o) => o !== inst && o.status.port === profile.port && ACTIVE_STATES.has(o.status.state));
    if (clash) this.fail(inst, 'port_in_use', `port ${profile.port} is used by the engine of profile ${clash.profileId}`);
    if (!(await portFree(profile.host, profile.port))) this.fail(inst, 'port_in_use', `port ${profile.port} on ${profile.host} is already in use by another program`);
    if (signal.aborted) this.fail(inst, 'cancelled', 'start cancelled');

    inst.log.note(`starting ${profile.engine}${found.caps.version ? ` ${found.caps.version}` : ''}: ${redactArgv([spec.command, ...spec.args]).join(' ')}`);
    for (const w of warnings) inst.log.note(`warning: ${w}`);
    const spawned = await spawnEngine(spec, {
      cwd: engineWorkDir(this.options.dataDir, profile.id),
      onOutput: (d) => inst.log.write(d),
      onNote: (t) => inst.log.note(t),
      managerEnv: this.options.hubEnv?.() ?? {},
    });
    if ('error' in spawned) this.fail(inst, 'spawn_failed', `could not run ${spec.command}: ${spawned.error}`);
    const running = spawned;
    inst.running = running;
    this.set(inst, { pid: running.pid });
    this.records.write({
      profile_id: profile.id,
      pid: running.pid,
      start_time: (await processStartTime(running.pid)) ?? '',
      argv: redactArgv([spec.command, ...spec.args]),
      host: profile.host,
      port: profile.port,
      started_at: inst.status.startedAt ?? new Date().toISOString(),
    });

    const outcome = await readyOrExit(probeBaseUrl(profile.host, profile.port), launcher.readiness(profile), running.exited, profile.start_timeout_seconds * 1000, signal);
    if (outcome.kind === 'ready') {
      inst.log.note(`ready on ${profile.host}:${profile.port}`);
      inst.lastUsedAt = Date.now();
      this.set(inst, { state: 'ready', readyAt: new Date().toISOString(), lastUsedAt: new Date(inst.lastUsedAt).toISOString() });
      this.watchExit(inst, running);
      this.scheduleIdle(inst);
      return { ...inst.status };
    }
    await this.cleanUp(inst, running);
    if (outcome.kind === 'exit') {
      this.fail(inst, 'crashed', `the engine ${describeExit(outcome.info)} while starting`, { exitCode: outcome.info.code, exitSignal: outcome.info.signal });
    }
    if (outcome.why === 'cancelled') this.fail(inst, 'cancelled', 'start cancelled');
    this.fail(inst, 'timeout', `the model did not answer within ${profile.start_timeout_seconds} s (start timeout)`);
  }

  /** After the leader exited or a start failed: no member of its group may survive. */
  private async cleanUp(inst: Instance, running: EngineProcess): Promise<void> {
    await reapGroup(running, this.graceMs);
    if (inst.running === running) inst.running = null;
    this.records.remove(inst.profileId);
  }

  private watchExit(inst: Instance, running: EngineProcess): void {
    void running.exited.then((info) =>
      this.enqueue(inst, async () => {
        if (inst.running !== running) return; // an expected exit: stop already handled it
        inst.log.note(`the engine ${describeExit(info)} while serving`);
        await this.cleanUp(inst, running);
        this.set(inst, {
          state: 'failed',
          pid: null,
          error: `the engine ${describeExit(info)} while serving`,
          exitCode: info.code,
          exitSignal: info.signal,
          logExcerpt: this.tail(inst.profileId, this.excerptLines),
        });
      }),
    );
  }

  private async doStop(inst: Instance, graceMs = this.graceMs): Promise<InstanceStatus> {
    this.clearIdle(inst);
    const running = inst.running;
    if (!running) {
      // Stopping a failed engine dismisses its failure; a stopped one stays stopped.
      if (inst.status.state !== 'stopped') this.set(inst, { state: 'stopped', pid: null });
      return { ...inst.status };
    }
    this.set(inst, { state: 'stopping' });
    inst.log.note('stopping (SIGTERM to the process group)');
    inst.running = null;
    const how = await stopEngine(running, graceMs);
    if (how === 'killed') inst.log.note(`still running after ${graceMs} ms: killed (SIGKILL)`);
    if (how === 'survived') inst.log.note('processes survived SIGKILL (uninterruptible); giving up waiting');
    this.records.remove(inst.profileId);
    inst.log.note('stopped');
    this.set(inst, { state: 'stopped', pid: null, readyAt: null, error: null, logExcerpt: null, adopted: false });
    return { ...inst.status };
  }

  private async doAdopt(inst: Instance, profile: LaunchProfile, record: RunRecord): Promise<void> {
    if (!(await answersReadiness(profile))) return;
    inst.profile = profile;
    inst.upstreamModel = launcherFor(profile.engine).upstreamModel(profile, null);
    inst.sizeBytes = (await this.options.modelSize?.(profile).catch(() => null)) ?? 0;
    const running = adoptedProcess(record.pid);
    inst.running = running;
    inst.lastUsedAt = Date.now();
    inst.log.note(`adopted engine pid ${record.pid} left by a previous manager (its output is no longer captured)`);
    this.set(inst, {
      state: 'ready', pid: record.pid, host: profile.host, port: profile.port, startedAt: record.started_at,
      readyAt: new Date().toISOString(), lastUsedAt: new Date(inst.lastUsedAt).toISOString(), adopted: true, error: null,
    });
    this.watchExit(inst, running);
    this.scheduleIdle(inst);
  }

  private clearIdle(inst: Instance): void {
    if (inst.idleTimer) clearTimeout(inst.idleTimer);
    inst.idleTimer = null;
  }

  /** Idle unload: counted from the end of the last request, never while one is in flight or waiting. */
  private scheduleIdle(inst: Instance): void {
    this.clearIdle(inst);
    const ttl = inst.profile?.idle_ttl_seconds ?? 0;
    const delay = idleUnloadDelay(ttl, inst.busy(), inst.lastUsedAt, Date.now());
    if (delay === null || inst.status.state !== 'ready') return;
    inst.idleTimer = setTimeout(() => {
      inst.idleTimer = null;
      void this.enqueue(inst, async () => {
        // Re-judged on the queue: a request may have arrived since the timer was set.
        if (inst.status.state !== 'ready' || idleUnloadDelay(ttl, inst.busy(), inst.lastUsedAt, Date.now()) !== 0) return this.scheduleIdle(inst);
        inst.log.note(`idle for ${Math.round((Date.now() - inst.lastUsedAt) / 1000)} s: unloading`);
        await this.doStop(inst);
      });
    }, delay);
    inst.idleTimer.unref();
  }
}
