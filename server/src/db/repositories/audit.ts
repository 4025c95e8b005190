import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
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

/** Plain data access for `audit`; batching and retention live in services/audit.ts. */
export function auditRepository(db: Db) {
  return {
    async insertMany(rows: readonly AuditRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await db.insertInto('audit').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      }
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
