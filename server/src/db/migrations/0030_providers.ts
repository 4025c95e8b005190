import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    // Sealed by the secret box (db/sealed-columns.ts); the hint is what reads show.
    .addColumn('api_key', 'text')
    .addColumn('api_key_hint', 'text')
    .addColumn('models', 'text', (c) => c.notNull())
    .addColumn('connect_timeout_ms', 'integer')
    .addColumn('ttft_timeout_ms', 'integer')
    .addColumn('idle_timeout_ms', 'integer')
    .addColumn('total_timeout_ms', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('providers').execute();
}
