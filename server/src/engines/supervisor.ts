// The engine supervisor: one state machine per profile (stopped → starting → ready → stopping,
// plus failed), with ONE writer. Every transition runs on the profile's serial queue; callers
// never read a state and act on it themselves. See DESIGN.md beside this file.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { engineEnv } from './engine-env.js';
import { EngineDiscovery } from './launchers/discover.js';
import { launcherFor } from './launchers/index.js';
import type { LaunchProfile, LaunchSpec } from './launchers/types.js';
import { RotatingLog, tailLines, type LogFileOptions, DEFAULT_LOG_OPTIONS } from './log-file.js';
import { portFree } from './port-check.js';
import { groupAlive, isAlive, processStartTime, terminateGroup } from './process-tree.js';
import { probeBaseUrl, waitReady } from './readiness.js';
import { RunRecordStore, type RunRecord } from './run-records.js';
import { redactArgv } from './redact.js';

export type InstanceState = 'stopped' | 'starting' | 'ready' | 'stopping' | 'failed';

export interface InstanceStatus {
  profileId: string;
  state: InstanceState;
  pid: number | null;
  host: string;
  port: number;
  startedAt: string | null;
  readyAt: string | null;
  error: string | null;
  logExcerpt: string[] | null;
  exitCode: number | null;
  exitSignal: string | null;
  inFlight: number;
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

export interface SupervisorOptions {
  /** Data folder: logs in `logs/engines/`, run records in `run/`. */
  dataDir: string;
  discovery?: EngineDiscovery;
  /** SIGTERM → SIGKILL grace period. */
  stopGraceMs?: number;
  log?: LogFileOptions;
  /** Lines of log kept in a failure's excerpt. */
  excerptLines?: number;
}

interface ExitInfo {
  code: number | null;
  signal: string | null;
  error: string | null;
}

interface Running {
  pid: number;
  /** Null when adopted from a previous manager (not our child: exit is detected by polling). */
  child: ChildProcess | null;
  exited: Promise<ExitInfo>;
  spec: LaunchSpec | null;
}

class Instance {
  queue: Promise<unknown> = Promise.resolve();
  running: Running | null = null;
  startPromise: Promise<InstanceStatus> | null = null;
  startAbort: AbortController | null = null;
  profile: LaunchProfile | null = null;
  idleTimer: NodeJS.Timeout | null = null;
  lastUsedAt = Date.now();
  status: InstanceStatus;

  constructor(
    readonly profileId: string,
    readonly log: RotatingLog,
  ) {
    this.status = {
      profileId,
      state: 'stopped',
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
      warnings: [],
      engineVersion: null,
      adopted: false,
    };
  }
}

const ACTIVE: ReadonlySet<InstanceState> = new Set(['starting', 'ready', 'stopping']);

export class Supervisor {
  private readonly instances = new Map<string, Instance>();
  private readonly listeners = new Set<(status: InstanceStatus) => void>();
  private readonly discovery: EngineDiscovery;
  private readonly records: RunRecordStore;
  private readonly graceMs: number;
  private readonly excerptLines: number;
  private closed = false;

  constructor(private readonly options: SupervisorOptions) {
    this.discovery = options.discovery ?? new EngineDiscovery();
    this.records = new RunRecordStore(path.join(options.dataDir, 'run'));
    this.graceMs = options.stopGraceMs ?? 10_000;
    this.excerptLines = options.excerptLines ?? 40;
  }

  /** Every transition, as a fresh snapshot. Returns the unsubscribe. */
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
      .map((i) => ({ profileId: i.profileId, pid: (i.running as Running).pid, readyAt: i.status.readyAt, startedAt: i.status.startedAt }));
  }

  /**
   * Starts the profile's engine and resolves when the model answers. Idempotent: a ready engine
   * is returned as is, and concurrent calls join the start in progress (one process).
   */
  start(profile: LaunchProfile): Promise<InstanceStatus> {
    const inst = this.instance(profile.id);
    if (inst.startPromise) return inst.startPromise;
    const abort = new AbortController();
    const promise = this.enqueue(inst, () => this.doStart(inst, profile, abort.signal));
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
   * For the gateway: start or join a start, wait until ready, count the request as in flight.
   * The returned release (idempotent) ends it; idle unload only takes engines with none in flight.
   */
  async acquire(profile: LaunchProfile): Promise<() => void> {
    const inst = this.instance(profile.id);
    inst.status.inFlight++;
    this.clearIdle(inst);
    try {
      await this.start(profile);
    } catch (err) {
      inst.status.inFlight--;
      throw err;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inst.status.inFlight--;
      inst.lastUsedAt = Date.now();
      this.scheduleIdle(inst);
    };
  }

  /**
   * Boot: engines recorded by a previous manager. A live one (same pid AND start time) is adopted
   * when `adopt` returns its profile, else its whole group is killed; a group whose leader is gone
   * but members survive is killed too. Stale records are dropped. Never an orphan.
   */
  async recover(adopt: (record: RunRecord) => LaunchProfile | null = () => null): Promise<{ adopted: string[]; reaped: number[]; dropped: number }> {
    const { records, invalid } = this.records.list();
    for (const file of invalid) this.records.dropFile(file);
    const adopted: string[] = [];
    const reaped: number[] = [];
    let dropped = invalid.length;
    for (const record of records) {
      const leaderAlive = isAlive(record.pid);
      const same = leaderAlive && (await processStartTime(record.pid)) === record.start_time;
      // A dead leader's pid cannot be reused as a group id while its group has members: they are ours.
      const ours = same || (!leaderAlive && groupAlive(record.pid));
      if (!ours) {
        this.records.remove(record.profile_id);
        dropped++;
        continue;
      }
      const profile = same ? adopt(record) : null;
      if (profile && profile.port === record.port) {
        const inst = this.instance(profile.id);
        await this.enqueue(inst, () => this.doAdopt(inst, profile, record));
        if (inst.status.state === 'ready') {
          adopted.push(profile.id);
          continue;
        }
      }
      await terminateGroup(record.pid, this.graceMs);
      this.records.remove(record.profile_id);
      reaped.push(record.pid);
    }
    return { adopted, reaped, dropped };
  }

  /** Stops every engine (manager shutdown). */
  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.instances.values()].map((i) => this.stop(i.profileId)));
    for (const i of this.instances.values()) i.log.close();
  }

  // ---- internals: everything below runs on a profile's queue ----

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

  private set(inst: Instance, patch: Partial<InstanceStatus>): void {
    inst.status = { ...inst.status, ...patch };
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

  private fail(inst: Instance, reason: StartFailure, message: string, extra: Partial<InstanceStatus> = {}): never {
    inst.log.note(`start failed: ${message}`);
    this.set(inst, { state: reason === 'cancelled' ? 'stopped' : 'failed', pid: null, error: reason === 'cancelled' ? null : message, logExcerpt: this.tail(inst.profileId, this.excerptLines), ...extra });
    throw new StartError(message, reason, { ...inst.status });
  }

  private async doStart(inst: Instance, profile: LaunchProfile, signal: AbortSignal): Promise<InstanceStatus> {
    if (inst.status.state === 'ready' && inst.running) return { ...inst.status };
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
    const spec = launcher.buildArgv(profile, found.caps);
    this.set(inst, { warnings: spec.warnings, engineVersion: found.caps.version });
    const clash = [...this.instances.values()].find((o) => o !== inst && o.status.port === profile.port && ACTIVE.has(o.status.state));
    if (clash) this.fail(inst, 'port_in_use', `port ${profile.port} is used by the engine of profile ${clash.profileId}`);
    if (!(await portFree(profile.host, profile.port))) this.fail(inst, 'port_in_use', `port ${profile.port} on ${profile.host} is already in use by another program`);
    if (signal.aborted) this.fail(inst, 'cancelled', 'start cancelled');

    inst.log.note(`starting ${profile.engine}${found.caps.version ? ` ${found.caps.version}` : ''}: ${redactArgv([spec.command, ...spec.args]).join(' ')}`);
    for (const w of spec.warnings) inst.log.note(`warning: ${w}`);
    const spawned = await this.spawn(inst, spec);
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

    const timeoutMs = profile.start_timeout_seconds * 1000;
    const probeAbort = new AbortController();
    const timer = setTimeout(() => probeAbort.abort(new Error('timeout')), timeoutMs);
    const onCancel = () => probeAbort.abort(new Error('cancelled'));
    signal.addEventListener('abort', onCancel, { once: true });
    type Outcome = { kind: 'ready' } | { kind: 'exit'; info: ExitInfo } | { kind: 'aborted'; why: string };
    const outcome: Outcome = await Promise.race([
      waitReady(probeBaseUrl(profile.host, profile.port), launcher.readiness(profile), probeAbort.signal).then(
        (): Outcome => ({ kind: 'ready' }),
        (): Outcome => ({ kind: 'aborted', why: signal.aborted ? 'cancelled' : 'timeout' }),
      ),
      running.exited.then((info): Outcome => ({ kind: 'exit', info })),
    ]);
    clearTimeout(timer);
    signal.removeEventListener('abort', onCancel);
    probeAbort.abort();

    if (outcome.kind === 'ready') {
      inst.log.note(`ready on ${profile.host}:${profile.port}`);
      this.set(inst, { state: 'ready', readyAt: new Date().toISOString() });
      this.watchExit(inst, running);
      inst.lastUsedAt = Date.now();
      this.scheduleIdle(inst);
      return { ...inst.status };
    }
    if (outcome.kind === 'exit') {
      await this.cleanUp(inst, running);
      const how = describeExit(outcome.info);
      this.fail(inst, 'crashed', `the engine ${how} while starting`, { exitCode: outcome.info.code, exitSignal: outcome.info.signal });
    }
    await this.cleanUp(inst, running);
    if (outcome.why === 'cancelled') this.fail(inst, 'cancelled', 'start cancelled');
    this.fail(inst, 'timeout', `the model did not answer within ${profile.start_timeout_seconds} s (start timeout)`);
  }

  private async spawn(inst: Instance, spec: LaunchSpec): Promise<Running | { error: string }> {
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        // Own process group: stop and reap signal the whole tree, and a manager crash is recoverable.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: engineEnv(process.env, spec.env),
        cwd: this.options.dataDir,
      });
    } catch (err) {
      return { error: (err as Error).message };
    }
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once('error', (err) => {
        inst.log.note(`process error: ${err.message}`);
        if (child.pid === undefined) resolve({ code: null, signal: null, error: err.message });
      });
      child.once('exit', (code, sig) => {
        // Output still in the pipes explains the exit: let it reach the log (bounded wait, since a
        // grandchild holding the pipe open would delay 'close' forever).
        void Promise.race([closed, new Promise((r) => setTimeout(r, 500))]).then(() => resolve({ code, signal: sig, error: null }));
      });
    });
    child.stdout?.on('data', (d: Buffer) => inst.log.write(d));
    child.stderr?.on('data', (d: Buffer) => inst.log.write(d));
    if (child.pid === undefined) {
      // Spawn errors (ENOENT, EACCES) are reported asynchronously; no pid means nothing runs.
      return exited.then((info) => ({ error: info.error ?? 'no process' }));
    }
    return { pid: child.pid, child, exited, spec };
  }

  /** After the leader exited or a start failed: no member of its group may survive. */
  private async cleanUp(inst: Instance, running: Running): Promise<void> {
    if (groupAlive(running.pid)) await terminateGroup(running.pid, Math.min(this.graceMs, 2000));
    if (inst.running === running) inst.running = null;
    this.records.remove(inst.profileId);
  }

  private watchExit(inst: Instance, running: Running): void {
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
    const how = await terminateGroup(running.pid, graceMs);
    if (how === 'killed') inst.log.note(`still running after ${graceMs} ms: killed (SIGKILL)`);
    if (how === 'survived') inst.log.note('processes survived SIGKILL (uninterruptible); giving up waiting');
    if (running.child) await Promise.race([running.exited, new Promise((r) => setTimeout(r, 2000))]);
    this.records.remove(inst.profileId);
    inst.log.note('stopped');
    this.set(inst, { state: 'stopped', pid: null, readyAt: null, error: null, logExcerpt: null, adopted: false });
    return { ...inst.status };
  }

  private async doAdopt(inst: Instance, profile: LaunchProfile, record: RunRecord): Promise<void> {
    const launcher = launcherFor(profile.engine);
    const abort = AbortSignal.timeout(10_000);
    const ok = await waitReady(probeBaseUrl(profile.host, profile.port), launcher.readiness(profile), abort).then(
      () => true,
      () => false,
    );
    if (!ok) return;
    inst.profile = profile;
    const running: Running = { pid: record.pid, child: null, exited: pollExit(record.pid), spec: null };
    inst.running = running;
    inst.log.note(`adopted engine pid ${record.pid} left by a previous manager (its output is no longer captured)`);
    this.set(inst, { state: 'ready', pid: record.pid, host: profile.host, port: profile.port, startedAt: record.started_at, readyAt: new Date().toISOString(), adopted: true, error: null });
    this.watchExit(inst, running);
    this.scheduleIdle(inst);
  }

  private clearIdle(inst: Instance): void {
    if (inst.idleTimer) clearTimeout(inst.idleTimer);
    inst.idleTimer = null;
  }

  /** Idle unload: counted from the end of the last request, never while one is in flight. */
  private scheduleIdle(inst: Instance): void {
    this.clearIdle(inst);
    const ttl = (inst.profile?.idle_ttl_seconds ?? 0) * 1000;
    if (ttl <= 0 || inst.status.inFlight > 0 || inst.status.state !== 'ready') return;
    const due = inst.lastUsedAt + ttl - Date.now();
    inst.idleTimer = setTimeout(() => {
      inst.idleTimer = null;
      void this.enqueue(inst, async () => {
        const idleFor = Date.now() - inst.lastUsedAt;
        if (inst.status.state !== 'ready' || inst.status.inFlight > 0 || idleFor < ttl) return this.scheduleIdle(inst);
        inst.log.note(`idle for ${Math.round(idleFor / 1000)} s: unloading`);
        await this.doStop(inst);
      });
    }, Math.max(0, due));
    inst.idleTimer.unref();
  }
}

function describeExit(info: ExitInfo): string {
  if (info.error) return `could not run (${info.error})`;
  if (info.signal) return `was killed by ${info.signal}`;
  return `exited with code ${info.code ?? 'unknown'}`;
}

/** Exit of a process that is not our child (adopted): polled, since there is no exit event. */
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

