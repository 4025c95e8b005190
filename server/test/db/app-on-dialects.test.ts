// The whole app (migrations on start, services, routes) on each dialect, not only the repositories.
import { describe, expect, it } from 'vitest';
import { describeDatabase } from '../../src/db/connect.js';
import { createAppContext } from '../../src/main.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { databaseTargets } from '../helpers/databases.js';

describe('database selection', () => {
  it('defaults to an SQLite file in the data folder; postgres:// and sqlite: URLs select the dialect', () => {
    expect(describeDatabase({ home: '/d', database_url: undefined })).toEqual({ dialect: 'sqlite', file: '/d/mlx-manager.db' });
    expect(describeDatabase({ home: '/d', database_url: 'sqlite:/x/y.db' })).toEqual({ dialect: 'sqlite', file: '/x/y.db' });
    expect(describeDatabase({ home: '/d', database_url: '/x/z.db' })).toEqual({ dialect: 'sqlite', file: '/x/z.db' });
    expect(describeDatabase({ home: '/d', database_url: 'postgresql://u@h/db' })).toEqual({ dialect: 'postgres', url: 'postgresql://u@h/db' });
  });
});

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`app on ${target.name}`, () => {
    it('migrates on start, registers, logs in, issues a key that /v1/models accepts; restart keeps the data', async () => {
      if (target.unavailable) throw new Error(target.unavailable);
      const tmp = await tempHome();
      const config = testConfig(tmp.home, { database_url: await target.create() });
      try {
        const first = await createAppContext(config, { logger: false, webRoot: null });
        expect(first.database.dialect).toBe(target.name);
        let key = '';
        try {
          const reg = await first.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'pg@example.com', password: 'password-1' } });
          expect(reg.statusCode).toBe(201);
          const login = await first.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'pg@example.com', password: 'password-1' } });
          const token = login.json<{ access_token: string }>().access_token;
          const created = await first.app.inject({ method: 'POST', url: '/api/keys', headers: { authorization: `Bearer ${token}` }, payload: { name: 'k' } });
          key = created.json<{ key: string }>().key;
        } finally {
          await first.close();
        }
        // a second start runs migrations again (no-op) and sees the same data and JWT secret
        const second = await createAppContext(config, { logger: false, webRoot: null });
        try {
          const models = await second.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } });
          expect(models.statusCode).toBe(200);
          const again = await second.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'pg2@example.com', password: 'password-1' } });
          expect(again.json<{ user: { status: string } }>().user.status).toBe('pending');
        } finally {
          await second.close();
        }
      } finally {
        await tmp.remove();
      }
    });
  });
}
