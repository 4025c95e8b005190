import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { SettingRow } from '../tables/settings.js';

/** Plain data access for `settings`; validation and defaults live in services/settings.ts. */
export function settingsRepository(db: Kysely<Database>) {
  return {
    async all(): Promise<SettingRow[]> {
      return db.selectFrom('settings').selectAll().execute();
    },
    /** Writes every row in one transaction (insert or replace). */
    async upsertMany(rows: SettingRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          await trx
            .insertInto('settings')
            .values(row)
            .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
            .execute();
        }
      });
    },
  };
}
