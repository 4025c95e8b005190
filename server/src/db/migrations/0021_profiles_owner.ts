import type { Kysely } from 'kysely';

/*
 * Profiles record who created them (null: a profile from before owners were recorded, treated
 * as the admins'), and keep their secrets (`env`, `extra_args`) in a column of their own, sealed
 * by the secret box, instead of in clear inside `settings`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('profiles').addColumn('created_by', 'text').execute();
  await db.schema.alterTable('profiles').addColumn('secrets', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('profiles').dropColumn('secrets').execute();
  await db.schema.alterTable('profiles').dropColumn('created_by').execute();
}
