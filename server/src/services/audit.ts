// The gateway's audit log: one record per request, queued by the data plane and written in batches
// off the request path; paged queries with filters; retention by the audit_retention_days setting.
import type { AuditBackend, AuditPage, AuditQuery, AuditRecord, AuditStats, AuditStatsQuery } from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import { auditRepository, type AuditFilter } from '../db/repositories/audit.js';
import type { Database } from '../db/schema.js';
import { AuditBatchBuilder, auditRowsOf, expandAuditBatch, type AuditEntry, type PackedAuditBatch } from '../db/audit-batch.js';
import type { SqlWriter } from '../db/sqlite-writer.js';
import type { AuditRow } from '../db/tables/gateway.js';
import { costsOf, type PriceLookup } from './audit-cost.js';
import { bucketWidth, summarise } from './audit-stats.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';

export type { AuditEntry };

export interface AuditDeps {
  db: Kysely<Database>;
  /** Runs the batch INSERTs off the event loop (an SQLite file); default: on `db`. Closed with the service. */
  writer?: SqlWriter<PackedAuditBatch>;
  /** Days records are kept (read at each pruning, so a settings change applies). */
  retentionDays: () => number;
  /**
   * A failed batch write or prune (logged by the caller; the entries are kept for the next try),
   * or a writer thread that could not take a batch (written on `db` instead).
   */
  onError?: (err: unknown) => void;
  /** Write at least this often while entries wait (ms). */
  flushIntervalMs?: number;
  /** Write as soon as this many entries wait. */
  batchSize?: number;
  /** Entries kept in memory at most while the database is unavailable; the oldest go first. */
  maxQueued?: number;
  /** Prune this often (ms); the first prune runs at once. */
  pruneIntervalMs?: number;
  now?: () => Date;
  /** Provider model prices for each record's cost (default: everything from a provider is unpriced). */
  prices?: PriceLookup;
  /** Where `audit.recorded` goes once a batch is written (admins: all; a user: their own). */
  events?: Pick<EventBus, 'publish'>;
  /**
   * Whether anyone could receive `audit.recorded` now (an event stream is open). Without one, a
   * written batch is not priced and announced: under load that was a record object per request
   * that nobody read. Default: always announce.
   */
  hasAudience?: () => boolean;
}

/** Records one stats query reads at most (the newest in the range). */
export const STATS_MAX_RECORDS = 50_000;
/** The stats range when the caller gives no `since`. */
const DEFAULT_STATS_RANGE_MS = 3600_000;

/** Sees each entry as it is queued (the metrics counters), before it is written. */
export type AuditObserver = (entry: AuditEntry) => void;

export interface AuditViewer {
  id: string;
  isAdmin: boolean;
}

function toRecord(row: AuditRow, cost: number | null): AuditRecord {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: row.id,
    time: row.time,
    user_id: row.user_id,
    api_key_id: row.api_key_id,
    endpoint: row.endpoint,
    requested_model: row.requested_model,
    rule_id: row.rule_id,
    backend: row.backend as AuditBackend | null,
    target_id: row.target_id,
    target_model: row.target_model,
    status: Number(row.status),
    duration_ms: Number(row.duration_ms),
    ttft_ms: num(row.ttft_ms),
    tokens_in: num(row.tokens_in),
    tokens_out: num(row.tokens_out),
    hops: JSON.parse(row.hops) as AuditRecord['hops'],
    error: row.error,
    cost_usd: cost,
  };
}

/** Pure: the `status` filter → an inclusive range. */
export function statusRange(status: string): { min: number; max: number } {
  if (status === 'ok') return { min: 100, max: 399 };
  if (status === 'error') return { min: 400, max: 599 };
  const cls = /^([1-5])xx$/.exec(status);
  if (cls) return { min: Number(cls[1]) * 100, max: Number(cls[1]) * 100 + 99 };
  return { min: Number(status), max: Number(status) };
}

export function encodeCursor(row: { time: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.time, row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { time: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { time: value[0], id: value[1] };
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'Invalid cursor (use next_cursor from the previous page)', [{ field: 'cursor', message: 'invalid' }]);
}

/** Batches waiting beyond which they are written on the event loop, not left to the writer thread. */
const BACKLOG_BATCHES = 4;

export function createAuditService(deps: AuditDeps) {
  const onError = deps.onError ?? (() => undefined);
  // A writer thread that cannot write is told too (its batches still land, on the main connection).
  const repo = auditRepository(deps.db, deps.writer, onError);
  const now = () => (deps.now ? deps.now() : new Date());
  const batchSize = deps.batchSize ?? 200;
  const maxQueued = deps.maxQueued ?? 50_000;
  /** The batch records are added to, then the full ones waiting to be written, oldest first. */
  let open = new AuditBatchBuilder(batchSize);
  const waiting: PackedAuditBatch[] = [];
  let waitingRows = 0;
  /** The batch being written (never dropped: it may already be in the table). */
  let writing: PackedAuditBatch | null = null;
  let dropped = 0;
  let flushing: Promise<void> | null = null;
  let closed = false;
  const observers = new Set<AuditObserver>();
  const prices: PriceLookup = deps.prices ?? (async () => undefined);

  /** Rows → records with their costs at the current prices. */
  async function withCosts(rows: readonly AuditRow[]): Promise<AuditRecord[]> {
    const records = rows.map((row) => toRecord(row, null));
    const costs = await costsOf(records, prices);
    return records.map((r, i) => ({ ...r, cost_usd: costs[i] ?? null }));
  }

  /**
   * Tells open event streams about a written batch: admins every record, each user their own.
   * `parameters`: the batch's rows when they were made here (else they are made now).
   */
  async function announce(batch: PackedAuditBatch, parameters: unknown[] | null): Promise<void> {
    const events = deps.events;
    if (!events || batch.count === 0 || deps.hasAudience?.() === false) return;
    const records = await withCosts(auditRowsOf(parameters ?? expandAuditBatch(batch)));
    events.publish({ type: 'audit.recorded', records }, { kind: 'admins' });
    const byUser = new Map<string, AuditRecord[]>();
    for (const r of records) {
      if (r.user_id === null) continue;
      const own = byUser.get(r.user_id);
      if (own) own.push(r);
      else byUser.set(r.user_id, [r]);
    }
    for (const [userId, own] of byUser) events.publish({ type: 'audit.recorded', records: own }, { kind: 'user', userId });
  }

  /** Moves the open batch to the waiting ones (it may not be full: a timed or final flush). */
  function seal(): void {
    if (open.count === 0) return;
    waiting.push(open.seal());
    waitingRows += open.count;
    open = new AuditBatchBuilder(batchSize);
    // A database that stays unavailable must not let memory grow: the oldest batches go first
    // (not the one being written, not the newest).
    while (waitingRows > maxQueued) {
      const at = waiting[0] === writing ? 1 : 0;
      if (at >= waiting.length - 1) break;
      const [oldest] = waiting.splice(at, 1);
      waitingRows -= oldest!.count;
      dropped += oldest!.count;
    }
  }

  /** Writes the waiting batches, oldest first (a batch that fails stays for the next try). */
  async function writeWaiting(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting[0]!;
      // The writer thread runs at the lowest priority: on a machine with no idle core left it may
      // fall behind. Then the backlog is written here, never left to grow to the queue's limit.
      const backlog = waiting.length > BACKLOG_BATCHES;
      let parameters: unknown[] | null;
      writing = batch;
      try {
        parameters = await repo.insertBatch(batch, backlog);
      } catch (err) {
        onError(err);
        return; // kept for the next tick; never retried in a tight loop
      } finally {
        writing = null;
      }
      waiting.shift();
      waitingRows -= batch.count;
      void announce(batch, parameters).catch(onError);
    }
  }

  /** One write loop at a time: a batch sealed while it runs is written by it. */
  function drain(): Promise<void> {
    flushing ??= writeWaiting().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  /** Writes everything queued so far, the open batch too. */
  function flush(): Promise<void> {
    seal();
    return drain();
  }

  const flushTimer = setInterval(() => {
    if (open.count > 0 || waiting.length > 0) void flush();
  }, deps.flushIntervalMs ?? 1000);
  flushTimer.unref();

  async function prune(): Promise<number> {
    const cutoff = new Date(now().getTime() - deps.retentionDays() * 24 * 3600 * 1000).toISOString();
    return repo.deleteOlderThan(cutoff);
  }
  const runPrune = () => prune().catch(onError);
  const pruneTimer = setInterval(runPrune, deps.pruneIntervalMs ?? 3600_000);
  pruneTimer.unref();
  void runPrune();

  return {
    /** Queues one record; returns at once (the request path never waits for the database). */
    record(entry: AuditEntry): void {
      if (closed) return;
      for (const observe of observers) {
        try {
          observe(entry);
        } catch (err) {
          onError(err);
        }
      }
      open.add(entry, deps.now ? deps.now().getTime() : Date.now());
      if (open.full) {
        seal();
        void drain();
      }
    },

    /** Calls `observer` with every entry queued from now on; returns the unsubscribe. */
    observe(observer: AuditObserver): () => void {
      observers.add(observer);
      return () => observers.delete(observer);
    },

    /** Writes everything queued so far. */
    flush,

    /** Records waiting to be written, and records dropped because the queue was full. */
    stats(): { queued: number; dropped: number } {
      return { queued: waitingRows + open.count, dropped };
    },

    /** A page of records, newest first. Non-admins see only their own. */
    async query(q: AuditQuery, viewer: AuditViewer): Promise<AuditPage> {
      const filter: AuditFilter = {
        model: q.model,
        backend: q.backend,
        status: q.status === undefined ? undefined : statusRange(q.status),
        since: q.since,
        until: q.until,
        userId: viewer.isAdmin ? q.user_id : viewer.id,
        before: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
        limit: q.limit + 1,
      };
      const rows = await repo.query(filter);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return { records: await withCosts(page), next_cursor: rows.length > q.limit && last ? encodeCursor(last) : null };
    },

    /** Chart buckets, per-model and overall totals (with costs) over a range; default the last hour. */
    async aggregate(q: AuditStatsQuery, viewer: AuditViewer): Promise<AuditStats> {
      const until = q.until === undefined ? now() : new Date(q.until);
      const since = q.since === undefined ? new Date(until.getTime() - DEFAULT_STATS_RANGE_MS) : new Date(q.since);
      if (since.getTime() >= until.getTime()) throw new AppError('validation_failed', 'since must be before until', [{ field: 'since', message: 'must be before until' }]);
      const rows = await repo.query({
        model: q.model,
        backend: q.backend,
        status: q.status === undefined ? undefined : statusRange(q.status),
        since: since.toISOString(),
        until: until.toISOString(),
        userId: viewer.isAdmin ? q.user_id : viewer.id,
        limit: STATS_MAX_RECORDS + 1,
      });
      const used = rows.slice(0, STATS_MAX_RECORDS);
      const bucketSeconds = q.bucket_seconds ?? bucketWidth(since.getTime(), until.getTime());
      return summarise(await withCosts(used), { since, until, bucketSeconds, truncated: rows.length > STATS_MAX_RECORDS });
    },

    /** Deletes records older than the retention; returns how many went. */
    prune,

    /** Stops the timers and writes what is queued (before the database closes). */
    async close(): Promise<void> {
      closed = true;
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      await flush();
      if (flushing) await flushing;
      await deps.writer?.close();
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
