import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // ISO 8601 UTC with milliseconds: sorts as text on both dialects.
    .addColumn('time', 'text', (c) => c.notNull())
    // No foreign keys: the record outlives a deleted user, key, rule or provider.
    .addColumn('user_id', 'text')
    .addColumn('api_key_id', 'text')
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('requested_model', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text')
    .addColumn('backend', 'text')
    .addColumn('target_id', 'text')
    .addColumn('target_model', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('ttft_ms', 'integer')
    .addColumn('tokens_in', 'integer')
    .addColumn('tokens_out', 'integer')
    .addColumn('hops', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  // Pages go newest first; each filter narrows by its column, then time.
  await db.schema.createIndex('audit_time_idx').on('audit').columns(['time', 'id']).execute();
  await db.schema.createIndex('audit_model_time_idx').on('audit').columns(['requested_model', 'time']).execute();
  await db.schema.createIndex('audit_backend_time_idx').on('audit').columns(['backend', 'time']).execute();
  await db.schema.createIndex('audit_status_time_idx').on('audit').columns(['status', 'time']).execute();
  await db.schema.createIndex('audit_user_time_idx').on('audit').columns(['user_id', 'time']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit').execute();
}
