// Running engines as the API sees them: one server entry per profile, start/stop/restart through
// the supervisor, logs (tail + live), state changes and metrics pushed on the event bus, boot-time
// recovery of engines a crashed manager left, start-on-boot profiles.
import { mayReadEngineOutput, modelProblem, type Profile, type ProfileViewer, type Server } from '@mlx-manager/contract';
import { MetricsSampler, machineMemory, type EngineMetrics } from '../engines/metrics.js';
import { StartError, type InstanceStatus, type Lease, type Supervisor } from '../engines/supervisor.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';
import { toLeaseError } from './lease-error.js';
import type { ProfilesService } from './profiles.js';
import { startFailureCause } from './start-failure.js';

export interface ServersDeps {
  supervisor: Supervisor;
  profiles: ProfilesService;
  events: EventBus;
  metricsIntervalMs?: number;
  /** Adopt live engines of a previous manager instead of killing them (config). */
  adoptOrphans?: boolean;
  onError?: (err: unknown, context: string) => void;
  /** What the engine loads, found at each start (a GGUF repo id → its file in the cache); identity by default. */
  resolveModel?: (p: Profile) => Promise<Profile>;
  /** Tokens per second a profile's engine served lately (the gateway measures it), or null. */
  tokensPerSecond?: (profileId: string) => number | null;
}

/** Status + profile + latest metrics → the contract's server entry. Pure. */
export function toServer(status: InstanceStatus, profile: Pick<Profile, 'id' | 'name' | 'host' | 'port'>, metrics: EngineMetrics | undefined, tokensPerSecond: number | null = null): Server {
  const live = status.state === 'ready' || status.state === 'starting' || status.state === 'stopping';
  const failure = status.state === 'failed' ? startFailureCause(status.error, status.logExcerpt) : null;
  const uptime = status.startedAt && live ? Math.max(0, Math.round((Date.now() - Date.parse(status.startedAt)) / 1000)) : null;
  return {
    profile_id: profile.id,
    profile_name: profile.name,
    state: status.state,
    revision: status.revision,
    pid: status.pid,
    host: live ? status.host : profile.host,
    port: live ? status.port : profile.port,
    memory_bytes: live ? (metrics?.memoryBytes ?? null) : null,
    cpu_percent: live ? (metrics?.cpuPercent ?? null) : null,
    uptime_seconds: live ? (metrics?.uptimeSeconds ?? uptime) : null,
    started_at: live ? status.startedAt : null,
    error: status.error,
    failure_cause: failure?.cause ?? null,
    failure_hint: failure?.hint ?? null,
    log_excerpt: status.logExcerpt,
    exit_code: status.exitCode,
    exit_signal: status.exitSignal,
    in_flight: status.inFlight,
    tokens_per_second: live ? tokensPerSecond : null,
    warnings: status.warnings,
    engine_version: status.engineVersion,
  };
}

/** A server entry for someone who may not read the engine's output (see mayReadEngineOutput). Pure. */
export function withoutEngineOutput(server: Server): Server {
  return server.log_excerpt === null ? server : { ...server, log_excerpt: null };
}

/**
 * A failed start in the API's terms: what the user must do differs per reason. The engine's last
 * lines are in it only for someone who may read them (`showOutput`).
 */
export function startErrorToAppError(err: StartError, showOutput: boolean): AppError {
  // The cause in a few words and what to do (for a missing engine: how to install it).
  const failure = startFailureCause(err.message, err.status.logExcerpt);
  const details = { reason: err.reason, log_excerpt: showOutput ? (err.status.logExcerpt ?? []) : [], cause: failure?.cause ?? null, hint: failure?.hint ?? null };
  switch (err.reason) {
    case 'port_in_use':
    case 'cancelled':
      return new AppError('conflict', err.message, details);
    case 'engine_not_found':
      return new AppError('unavailable', failure?.hint ? `${err.message}: ${failure.hint}` : err.message, details);
    default:
      return new AppError('upstream_error', err.message, details);
  }
}

/** How long the gateway's copy of a profile is trusted without a change event (see acquire). */
export const LEASE_PROFILE_TTL_MS = 10_000;

export function createServersService(deps: ServersDeps) {
  const { supervisor, profiles, events } = deps;
  const onError = deps.onError ?? (() => undefined);
  const resolveModel = deps.resolveModel ?? (async (p: Profile) => p);
  const tokensPerSecond = deps.tokensPerSecond ?? (() => null);
  /** Names, addresses and creators of known profiles, for events raised outside a request. */
  const known = new Map<string, Pick<Profile, 'id' | 'name' | 'host' | 'port' | 'created_by'>>();
  const remember = (p: Profile) => known.set(p.id, { id: p.id, name: p.name, host: p.host, port: p.port, created_by: p.created_by });
  /** `viewer` absent = the manager itself (metrics, tests): the full entry. */
  const viewOf = (server: Server, p: Pick<Profile, 'created_by'>, viewer: ProfileViewer | undefined): Server =>
    viewer === undefined || mayReadEngineOutput(viewer, p) ? server : withoutEngineOutput(server);
  const requireOutputReader = (p: Profile, viewer: ProfileViewer): void => {
    if (!mayReadEngineOutput(viewer, p)) throw new AppError('forbidden', `Only an admin or the user who created profile "${p.name}" may read its engine's output`);
  };

  const sampler = new MetricsSampler({
    intervalMs: deps.metricsIntervalMs ?? 2000,
    source: () => supervisor.runningPids().map((r) => ({ profileId: r.profileId, pid: r.pid, startedAt: r.startedAt })),
    onSample: (engines, machine) =>
      events.publish({
        type: 'servers.metrics',
        machine: { total_bytes: machine.totalBytes, available_bytes: machine.availableBytes, used_bytes: machine.usedBytes },
        servers: engines.map((e) => ({
          profile_id: e.profileId, memory_bytes: e.memoryBytes, cpu_percent: e.cpuPercent, uptime_seconds: e.uptimeSeconds,
          tokens_per_second: tokensPerSecond(e.profileId),
        })),
      }),
    onError: (err) => onError(err, 'metrics sample'),
  });

  const offChange = supervisor.onChange((status) => {
    const profile = known.get(status.profileId);
    if (!profile) return; // a profile being deleted: nobody shows it any more
    const server = toServer(status, profile, sampler.latest(status.profileId), tokensPerSecond(status.profileId));
    if (server.log_excerpt === null) return events.publish({ type: 'server.changed', server });
    // Engine output only for admins and the profile's creator; everyone else gets the entry without it.
    events.publish({ type: 'server.changed', server }, { kind: 'admins_and', userId: profile.created_by });
    events.publish({ type: 'server.changed', server: withoutEngineOutput(server) }, { kind: 'not_admins_nor', userId: profile.created_by });
  });

  /**
   * Profiles as the gateway's hot path reads them (no query and no unsealing per request); emptied
   * on every profile change here, and re-read after LEASE_PROFILE_TTL_MS for edits made by another
   * instance sharing the database (which publishes no event here).
   */
  const leaseProfiles = new Map<string, { profile: Promise<Profile>; readAt: number }>();

  // Renamed or re-ported profiles: refresh the names used by events raised outside a request.
  const offProfiles = events.subscribe(({ event }) => {
    if (event.type !== 'profiles.changed') return;
    leaseProfiles.clear();
    profiles.list().then(
      (all) => all.forEach(remember),
      (err: unknown) => onError(err, 'profiles refresh'),
    );
  });

  profiles.setBeforeDelete(async (id) => {
    leaseProfiles.delete(id);
    await supervisor.forget(id);
    known.delete(id);
  });

  async function profileOf(id: string): Promise<Profile> {
    const p = await profiles.get(id);
    remember(p);
    return p;
  }

  /** What will run, checked again right before it runs (rows may predate the current rules). */
  async function runnableProfile(id: string): Promise<Profile> {
    const p = await profileOf(id);
    const problem = modelProblem(p.model);
    if (problem) throw new AppError('validation_failed', `Profile "${p.name}" cannot start: model ${problem}`, [{ field: 'model', message: problem }]);
    return resolveModel(p);
  }

  return {
    async list(viewer?: ProfileViewer): Promise<Server[]> {
      const all = await profiles.list();
      all.forEach(remember);
      return all.map((p) => viewOf(toServer(supervisor.status(p.id), p, sampler.latest(p.id), tokensPerSecond(p.id)), p, viewer));
    },

    async get(id: string, viewer?: ProfileViewer): Promise<Server> {
      const p = await profileOf(id);
      return viewOf(toServer(supervisor.status(id), p, sampler.latest(id), tokensPerSecond(id)), p, viewer);
    },

    /**
     * Starts (or joins a start). `wait: false` answers once the start is queued (the API: states
     * then arrive as events); `wait: true` resolves when the model answers or fails with why.
     */
    async start(id: string, options: { wait?: boolean; viewer?: ProfileViewer } = {}): Promise<Server> {
      const p = await runnableProfile(id);
      const started = supervisor.start(p);
      if (!options.wait) {
        started.catch((err: unknown) => {
          if (!(err instanceof StartError)) onError(err, `start of profile ${id}`);
        });
        return viewOf(toServer(supervisor.status(id), p, undefined), p, options.viewer);
      }
      try {
        return viewOf(toServer(await started, p, undefined), p, options.viewer);
      } catch (err) {
        if (err instanceof StartError) throw startErrorToAppError(err, options.viewer === undefined || mayReadEngineOutput(options.viewer, p));
        throw err;
      }
    },

    async stop(id: string, options: { force?: boolean; viewer?: ProfileViewer } = {}): Promise<Server> {
      const p = await profileOf(id);
      return viewOf(toServer(await supervisor.stop(id, options), p, undefined), p, options.viewer);
    },

    async restart(id: string, options: { wait?: boolean; viewer?: ProfileViewer } = {}): Promise<Server> {
      const p = await profileOf(id);
      await supervisor.stop(id);
      return this.start(p.id, options);
    },

    /** The log's last lines, for admins and the profile's creator (403 for anyone else). */
    async logs(id: string, lines: number, viewer: ProfileViewer): Promise<string[]> {
      requireOutputReader(await profileOf(id), viewer);
      return supervisor.tail(id, lines);
    },

    /** Live log text of a profile, split into whole lines, for the same readers. Returns the unsubscribe. */
    async followLogs(id: string, viewer: ProfileViewer, onLines: (lines: string[]) => void): Promise<() => void> {
      requireOutputReader(await profileOf(id), viewer);
      let partial = '';
      return supervisor.followLog(id, (text) => {
        const parts = (partial + text).split('\n');
        partial = parts.pop() ?? '';
        if (parts.length > 0) onLines(parts);
      });
    },

    /**
     * For the gateway: a lease on the profile's engine (started on demand, or the start in
     * progress joined), built inside the profile's queue. `signal` = the client went away.
     * Fails only with LeaseError (reason + Retry-After seconds); see lease-error.ts.
     */
    async acquire(profileId: string, signal?: AbortSignal, options: { timeoutMs?: number } = {}): Promise<Lease> {
      try {
        let cached = leaseProfiles.get(profileId);
        if (!cached || Date.now() - cached.readAt > LEASE_PROFILE_TTL_MS) {
          const entry = { profile: runnableProfile(profileId), readAt: Date.now() };
          leaseProfiles.set(profileId, entry);
          // A failure (not found, bad model) is not remembered.
          entry.profile.catch(() => leaseProfiles.get(profileId) === entry && leaseProfiles.delete(profileId));
          cached = entry;
        }
        const p = await cached.profile;
        return await supervisor.acquire(p, { ...(signal ? { signal } : {}), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
      } catch (err) {
        throw toLeaseError(err);
      }
    },

    machineMemory,

    /** Boot: reap (or adopt) what a previous manager left, then start the start-on-boot profiles. */
    async boot(): Promise<{ adopted: string[]; reaped: number[]; started: string[] }> {
      const all = await profiles.list();
      all.forEach(remember);
      const byId = new Map(all.map((p) => [p.id, p]));
      const recovered = await supervisor.recover((record) => (deps.adoptOrphans ? (byId.get(record.profile_id) ?? null) : null));
      const started: string[] = [];
      for (const p of all.filter((x) => x.start_on_boot && !recovered.adopted.includes(x.id))) {
        if (modelProblem(p.model)) {
          onError(new Error(`profile ${p.name} not started on boot: its model is not a repo id or a plain absolute path`), 'start on boot');
          continue;
        }
        started.push(p.id);
        resolveModel(p)
          .then((runnable) => supervisor.start(runnable))
          .catch((err: unknown) => onError(err, `start on boot of profile ${p.name}`));
      }
      sampler.start();
      return { adopted: recovered.adopted, reaped: recovered.reaped, started };
    },

    async close(): Promise<void> {
      sampler.stop();
      offChange();
      offProfiles();
      await supervisor.shutdown();
    },
  };
}

export type ServersService = ReturnType<typeof createServersService>;
