import type { Kysely } from 'kysely';

/*
 * The audit table is written on every /v1 request; each index costs every insert (the four
 * per-filter indexes made a row cost several times its own write). Pages, since/until and
 * retention all go by (time, id), which audit_time_idx serves; a filter by model, backend,
 * status or user walks that index newest first and keeps the matching rows, which stays cheap
 * because retention bounds the table and a page stops at its limit. Results are unchanged.
 */
const FILTER_INDEXES = [
  { name: 'audit_model_time_idx', column: 'requested_model' },
  { name: 'audit_backend_time_idx', column: 'backend' },
  { name: 'audit_status_time_idx', column: 'status' },
  { name: 'audit_user_time_idx', column: 'user_id' },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of FILTER_INDEXES) await db.schema.dropIndex(index.name).ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of FILTER_INDEXES) await db.schema.createIndex(index.name).on('audit').columns([index.column, 'time']).execute();
}
