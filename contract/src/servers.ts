import { z } from 'zod';

/*
 * Running engines: one server entry per profile, whatever its state, so a tile never disappears
 * through a restart (L-17 in docs/lessons-from-the-original.md).
 */

export const ServerState = z.enum(['stopped', 'starting', 'ready', 'stopping', 'failed']);
export type ServerState = z.infer<typeof ServerState>;

export const Server = z.object({
  profile_id: z.string(),
  profile_name: z.string(),
  state: ServerState,
  /**
   * Orders this profile's entries: it grows with every change of the server's status, never goes
   * back (a restarted manager starts above the previous one's), and is the same in a list answer
   * and in the `server.changed` event of one status. Entries arrive by two paths (list answers and
   * events) in any order; of two entries for one profile, the higher revision is the newer.
   * Metrics-only updates do not change it. 0 = unknown (an older manager).
   */
  revision: z.number().int().nonnegative().default(0),
  pid: z.number().int().nullable(),
  host: z.string(),
  port: z.number().int(),
  /** RSS summed over the engine's whole process tree. */
  memory_bytes: z.number().nonnegative().nullable(),
  /** Over the whole tree; can exceed 100 on several cores. */
  cpu_percent: z.number().nonnegative().nullable(),
  uptime_seconds: z.number().nonnegative().nullable(),
  /** When the current start began (ISO), for the starting tile's elapsed time. */
  started_at: z.string().nullable(),
  /** Why the last start or run failed (state `failed`), else null. */
  error: z.string().nullable(),
  /** That failure in a few words ("model file not found", "port in use", "engine not installed"), shown first. */
  failure_cause: z.string().nullable().default(null),
  /** What to do about it, when known (how to install the engine, download the model…). */
  failure_hint: z.string().nullable().default(null),
  /** The last log lines at the failure. */
  log_excerpt: z.array(z.string()).nullable(),
  exit_code: z.number().int().nullable(),
  exit_signal: z.string().nullable(),
  /** Requests being served right now (the gateway's acquire/release). */
  in_flight: z.number().int().nonnegative(),
  /** Decode speed of recent gateway answers (output tokens per second), null before any. */
  tokens_per_second: z.number().nonnegative().nullable().default(null),
  /** Profile fields the engine could not honour (never dropped silently). */
  warnings: z.array(z.string()),
  engine_version: z.string().nullable(),
});
export type Server = z.infer<typeof Server>;

export const ServerList = z.object({ servers: z.array(Server) });
export type ServerList = z.infer<typeof ServerList>;

export const StopServerQuery = z.object({ force: z.enum(['true', 'false']).optional() });

export const LogsQuery = z.object({
  lines: z.coerce.number().int().min(1).max(5000).default(200),
  follow: z.enum(['true', 'false', '1', '0']).optional(),
});

export const LogTail = z.object({ profile_id: z.string(), lines: z.array(z.string()) });
export type LogTail = z.infer<typeof LogTail>;

/** Machine memory, pushed with metrics and returned by GET /api/system. */
export const MachineMemory = z.object({ total_bytes: z.number(), available_bytes: z.number(), used_bytes: z.number() });
export type MachineMemory = z.infer<typeof MachineMemory>;

export const EngineInfo = z.object({
  engine: z.string(),
  found: z.boolean(),
  executable: z.string().nullable(),
  version: z.string().nullable(),
  reason: z.string().nullable(),
  /** Not found: how to get it, in words (a command to run), else null. */
  install_hint: z.string().nullable().default(null),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

/** GET /api/system. */
export const SystemInfo = z.object({
  os: z.object({ platform: z.string(), release: z.string(), arch: z.string() }),
  cpu: z.object({ model: z.string(), cores: z.number().int() }),
  memory: MachineMemory,
  node_version: z.string(),
  engines: z.array(EngineInfo),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

/* Events on GET /api/events (appended to AppEventSchemas in events.ts). */

/** A server changed state (every transition). */
export const ServerChangedEvent = z.object({ type: z.literal('server.changed'), server: Server });
export type ServerChangedEvent = z.infer<typeof ServerChangedEvent>;

/** Periodic metrics of every running engine plus machine memory (pushed, no polling). */
export const ServerMetricsEvent = z.object({
  type: z.literal('servers.metrics'),
  machine: MachineMemory,
  servers: z.array(
    z.object({
      profile_id: z.string(),
      memory_bytes: z.number().nonnegative(),
      cpu_percent: z.number().nonnegative(),
      uptime_seconds: z.number().nonnegative(),
      /** Decode speed of recent gateway answers, null before any (measured by the gateway). */
      tokens_per_second: z.number().nonnegative().nullable().default(null),
    }),
  ),
});
export type ServerMetricsEvent = z.infer<typeof ServerMetricsEvent>;

/** A profile was created, changed or deleted (lists refresh in place). */
export const ProfilesChangedEvent = z.object({ type: z.literal('profiles.changed') });
export type ProfilesChangedEvent = z.infer<typeof ProfilesChangedEvent>;
