// A database migrated by an older build (a later block already applied, an earlier-numbered
// migration added since) upgrades cleanly on both dialects; `down` reverses every migration.
import { Migrator, NO_MIGRATIONS } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { databaseTargets } from '../helpers/databases.js';

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`migrations on ${target.name}`, () => {
    it('apply a missing earlier-numbered migration after later ones, and all roll back', async () => {
      if (target.unavailable) throw new Error(target.unavailable);
      const tmp = await tempHome();
      const h = createDatabase(testConfig(tmp.home, { database_url: await target.create() }));
      try {
        const names = Object.keys(migrations);
        // an "older build": every migration but the newest foundation one, while a later block ran
        const skipped = names.filter((n) => n < '0010').at(-1) ?? '';
        expect(names.some((n) => n > skipped)).toBe(true);
        const older = Object.fromEntries(Object.entries(migrations).filter(([n]) => n !== skipped));
        const oldMigrator = new Migrator({ db: h.db, provider: { getMigrations: async () => older } });
        expect((await oldMigrator.migrateToLatest()).error).toBeUndefined();

        const results = await migrateToLatest(h.db);
        expect(results.map((r) => [r.migrationName, r.status])).toEqual([[skipped, 'Success']]);

        const all = new Migrator({ db: h.db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
        const down = await all.migrateTo(NO_MIGRATIONS);
        expect(down.error).toBeUndefined();
        const tables = (await h.db.introspection.getTables()).map((t) => t.name);
        expect(tables.filter((t) => !t.startsWith('kysely_'))).toEqual([]);
      } finally {
        await h.destroy();
        await tmp.remove();
      }
    });
  });
}
