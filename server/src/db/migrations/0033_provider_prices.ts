import type { Kysely } from 'kysely';

/** Per-model prices of a provider (JSON: model → per-million input/output), empty by default. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('providers').addColumn('prices', 'text', (c) => c.notNull().defaultTo('{}')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('providers').dropColumn('prices').execute();
}
