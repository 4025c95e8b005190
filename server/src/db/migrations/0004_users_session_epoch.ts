import type { Kysely } from 'kysely';

// Every session token carries the user's epoch; bumping it (password reset, disable, role
// change, log out everywhere) ends every token issued before, whatever the clock says.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('session_epoch', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('session_epoch').execute();
}
