import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { AUDIT_COLUMNS, expandAuditBatch, type PackedAuditBatch } from '../audit-batch.js';
import type { SqlWriter } from '../sqlite-writer.js';
import type { AuditRow } from '../tables/gateway.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditFilter {
  model?: string | undefined;
  backend?: string | undefined;
  /** Inclusive status range (one status, a class like 5xx, ok = 100–399, error = 400–599). */
  status?: { min: number; max: number } | undefined;
  /** ISO times: since inclusive, until exclusive. */
  since?: string | undefined;
  until?: string | undefined;
  userId?: string | undefined;
  /** Keyset position: rows strictly older than (time, id). */
  before?: { time: string; id: string } | undefined;
  limit: number;
}

/** Rows per INSERT: keeps each statement well under both dialects' parameter limits. */
const INSERT_CHUNK = 200;

/** A row of placeholders (only its shape matters: the SQL is compiled once per row count). */
const PLACEHOLDER_ROW = Object.fromEntries(AUDIT_COLUMNS.map((c) => [c, null])) as unknown as AuditRow;

/**
 * Batches at least this large go to the writer thread; smaller ones are written on `db`. Batches
 * are written at least every second, so a batch this size means a busy gateway (100 requests a
 * second or more), where a millisecond's insert on the event loop shows in the requests' latency.
 * Below it, a request now and then (a chat, an editor) costs the event loop a fraction of a
 * millisecond a second: less than a second V8 heap (about 17 MB while the thread runs) would cost
 * the machine's memory, next to the models.
 */
export const WRITER_MIN_ROWS = 100;

/**
 * Plain data access for `audit`; batching and retention live in services/audit.ts. `writer`, when
 * given, runs the INSERTs of large batches off this thread, where their rows are also made
 * (db/sqlite-writer.ts, db/audit-batch.ts); reads, deletes and small batches stay on `db`.
 * `onWriterError` hears why the writer could not take a batch (written on `db` instead).
 */
export function auditRepository(db: Db, writer?: SqlWriter<PackedAuditBatch>, onWriterError: (err: unknown) => void = () => undefined) {
  // The INSERT of a full chunk is built once: the audit log is written on every /v1 request, and
  // under load every batch is a full chunk (smaller ones are built when they come). Its columns
  // are in AUDIT_COLUMNS order, the order of each row's parameters.
  let fullChunkSql: string | undefined;
  const insertFor = (n: number): string => {
    if (n === INSERT_CHUNK && fullChunkSql !== undefined) return fullChunkSql;
    const sql = db.insertInto('audit').values(Array.from({ length: n }, () => PLACEHOLDER_ROW)).onConflict((c) => c.column('id').doNothing()).compile().sql;
    if (n === INSERT_CHUNK) fullChunkSql = sql;
    return sql;
  };
  return {
    /**
     * Writes a packed batch; resolves with its rows' parameters when they were made here (for a
     * caller that wants the rows too), null when the writer thread made and wrote them. `here`:
     * on `db` whatever the batch's size (a writer thread that fell behind).
     */
    async insertBatch(batch: PackedAuditBatch, here = false): Promise<unknown[] | null> {
      if (writer && !here && batch.count >= WRITER_MIN_ROWS && batch.count <= INSERT_CHUNK) {
        // A thread that could not write (it failed to start, or died) must not keep the log
        // from being written: the main connection takes the batch. The INSERT skips ids already
        // there, so a batch the thread committed before it died is not written twice (its ids are
        // made from the batch, the same wherever they are made).
        const written = await writer.run(insertFor(batch.count), batch).then(
          () => true,
          (err: unknown) => {
            onWriterError(err);
            return false;
          },
        );
        if (written) return null;
      }
      const parameters = expandAuditBatch(batch);
      const perChunk = INSERT_CHUNK * AUDIT_COLUMNS.length;
      for (let i = 0; i < parameters.length; i += perChunk) {
        const chunk = parameters.slice(i, i + perChunk);
        await db.executeQuery(CompiledQuery.raw(insertFor(chunk.length / AUDIT_COLUMNS.length), chunk));
      }
      return parameters;
    },
    /** Newest first, keyset-paginated on (time, id). */
    async query(f: AuditFilter): Promise<AuditRow[]> {
      let q = db.selectFrom('audit').selectAll();
      if (f.model !== undefined) q = q.where('requested_model', '=', f.model);
      if (f.backend !== undefined) q = q.where('backend', '=', f.backend);
      if (f.status) q = q.where('status', '>=', f.status.min).where('status', '<=', f.status.max);
      if (f.since !== undefined) q = q.where('time', '>=', f.since);
      if (f.until !== undefined) q = q.where('time', '<', f.until);
      if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
      const before = f.before;
      if (before) q = q.where((eb) => eb.or([eb('time', '<', before.time), eb.and([eb('time', '=', before.time), eb('id', '<', before.id)])]));
      return q.orderBy('time', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
    },
    /** Deletes rows older than `time`; returns how many went. */
    async deleteOlderThan(time: string): Promise<number> {
      const res = await db.deleteFrom('audit').where('time', '<', time).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
