// Runtime settings and the session epoch on a real SQLite file and a real PostgreSQL server (issue 7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createEventBus } from '../../src/services/event-bus.js';
import { createCoreServices, type Services } from '../../src/services/index.js';
import { createSettingsService } from '../../src/services/settings.js';
import { testConfig, tempHome, type TempHome } from '../helpers/config.js';
import { databaseTargets } from '../helpers/databases.js';

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`settings and session epoch on ${target.name}`, () => {
    let tmp: TempHome;
    let handle: DatabaseHandle;
    let services: Services;

    beforeAll(async () => {
      if (target.unavailable) throw new Error(target.unavailable);
      tmp = await tempHome();
      const config = testConfig(tmp.home, { database_url: await target.create() });
      handle = createDatabase(config);
      await migrateToLatest(handle.db);
      services = await createCoreServices(config, handle.db);
    });

    afterAll(async () => {
      await handle?.destroy();
      await tmp?.remove();
    });

    it('settings: updates overwrite in place, and a second instance on the same database reads them', async () => {
      await services.settings.update({ max_pending_users: 7 });
      await services.settings.update({ max_pending_users: 9, registration_open: false });
      const other = await createSettingsService({ db: handle.db, events: createEventBus(), secrets: services.secrets });
      expect(other.get()).toMatchObject({ max_pending_users: 9, registration_open: false, audit_retention_days: 30 });
      expect(await handle.db.selectFrom('settings').select('key').orderBy('key').execute()).toEqual([{ key: 'max_pending_users' }, { key: 'registration_open' }]);
    });

    it('settings: a stored value that no longer validates falls back to its default', async () => {
      await handle.db.updateTable('settings').set({ value: '"not a number"' }).where('key', '=', 'max_pending_users').execute();
      expect((await services.settings.reload()).max_pending_users).toBe(50);
    });

    it('the session epoch starts at 0 and each bump ends the tokens before it', async () => {
      const admin = await services.users.register({ email: 'epoch@p.test', password: 'password-1' }, '127.0.0.1');
      const { token } = await services.users.login({ email: 'epoch@p.test', password: 'password-1' }, '127.0.0.1');
      expect((await services.users.authenticate(token)).session_epoch).toBe(0);
      await services.users.logoutEverywhere(admin.id);
      await services.users.logoutEverywhere(admin.id);
      await expect(services.users.authenticate(token)).rejects.toThrow('Session ended');
      const again = await services.users.login({ email: 'epoch@p.test', password: 'password-1' }, '127.0.0.1');
      expect((await services.users.authenticate(again.token)).session_epoch).toBe(2);
    });
  });
}
