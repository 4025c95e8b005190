// A key rotation re-seals the secret runtime settings (the Hugging Face token) and leaves the
// plain settings as they are, on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/connect.js';
import { createAppContext } from '../../src/main.js';
import { anySealedBy, resealAll } from '../../src/services/key-rotation.js';
import { createSecretBox } from '../../src/services/secret-box.js';
import { adminAndUser, bearer } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { databaseTargets } from '../helpers/databases.js';

const HF_TOKEN = 'hf_rotateThisSettingsToken42';
const OLD_KEY = 'o'.repeat(48);
const NEW_KEY = 'n'.repeat(48);

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`keys rotate covers secret settings on ${target.name}`, () => {
    it('re-seals hf_token under the new key; plain settings stay plain JSON', async () => {
      if (target.unavailable) throw new Error(target.unavailable);
      const tmp = await tempHome();
      try {
        const database_url = await target.create();
        const config = (master_key: string) => testConfig(tmp.home, { ...(database_url ? { database_url } : {}), master_key });
        const ctx = await createAppContext(config(OLD_KEY), { logger: false, webRoot: null });
        try {
          const { admin } = await adminAndUser(ctx.app);
          const res = await ctx.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(admin.token), payload: { hf_token: HF_TOKEN, max_pending_users: 7 } });
          expect(res.statusCode, res.body).toBe(200);
        } finally {
          await ctx.close();
        }

        const database = createDatabase(config(OLD_KEY));
        try {
          const counts = await resealAll(database.db, createSecretBox(OLD_KEY), createSecretBox(NEW_KEY));
          expect(counts).toContainEqual({ table: 'settings', column: 'value', rows: 1 });
          expect(await anySealedBy(database.db, createSecretBox(NEW_KEY))).toBe(true);
          const rows = await database.db.selectFrom('settings').select(['key', 'value']).execute();
          expect(rows.find((r) => r.key === 'max_pending_users')?.value).toBe('7');
          expect(createSecretBox(NEW_KEY).isSealedByThisKey(rows.find((r) => r.key === 'hf_token')?.value ?? '')).toBe(true);
        } finally {
          await database.destroy();
        }

        const after = await createAppContext(config(NEW_KEY), { logger: false, webRoot: null });
        try {
          expect(after.services.settings.get()).toMatchObject({ hf_token: HF_TOKEN, max_pending_users: 7 });
        } finally {
          await after.close();
        }
      } finally {
        await tmp.remove();
      }
    }, 60_000);
  });
}
