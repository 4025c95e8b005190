// The repository suite: identical assertions on a real SQLite file and a real PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { LOCK_KEYS, lockForTransaction } from '../../src/db/locks.js';
import { migrations } from '../../src/db/migrations/index.js';
import { apiKeysRepository } from '../../src/db/repositories/api-keys.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import type { UserRow } from '../../src/db/tables/users.js';
import { AppError } from '../../src/services/errors.js';
import { createCoreServices, type Services } from '../../src/services/index.js';
import { testConfig, tempHome, type TempHome } from '../helpers/config.js';
import { databaseTargets } from '../helpers/databases.js';

function userRow(id: string, email: string, extra: Partial<UserRow> = {}): UserRow {
  return {
    id,
    email,
    password_hash: 'x',
    is_admin: 0,
    status: 'pending',
    created_at: `2026-01-0${id.length % 9}T00:00:00.000Z`,
    approved_at: null,
    approved_by: null,
    session_epoch: 0,
    ...extra,
  };
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`repositories on ${target.name}`, () => {
    let tmp: TempHome;
    let handle: DatabaseHandle;
    let services: Services;

    beforeAll(async () => {
      // Fails (never silently skips) with the reason PostgreSQL could not be started.
      if (target.unavailable) throw new Error(target.unavailable);
      tmp = await tempHome();
      const config = testConfig(tmp.home, { database_url: await target.create() });
      handle = createDatabase(config);
      expect(handle.dialect).toBe(target.name);
      await migrateToLatest(handle.db);
      services = await createCoreServices(config, handle.db);
    });

    afterAll(async () => {
      await handle?.destroy();
      await tmp?.remove();
    });

    /** Runs `fn` with services over a new, empty, migrated database of this dialect. */
    async function withFreshServices(fn: (s: Services) => Promise<void>): Promise<void> {
      const home = await tempHome();
      const config = testConfig(home.home, { database_url: await target.create() });
      const h = createDatabase(config);
      try {
        await migrateToLatest(h.db);
        await fn(await createCoreServices(config, h.db));
      } finally {
        await h.destroy();
        await home.remove();
      }
    }

    it('applies every migration once; a second run is a no-op', async () => {
      const again = await migrateToLatest(handle.db);
      expect(again).toEqual([]);
      const tables = (await handle.db.introspection.getTables()).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['users', 'api_keys']));
      expect(Object.keys(migrations)[0]).toBe('0001_users');
    });

    it('stores, finds, counts, updates and deletes users; email is unique', async () => {
      const repo = usersRepository(handle.db);
      await repo.insert(userRow('u1', 'one@repo.test', { is_admin: 1, status: 'approved' }));
      await repo.insert(userRow('u22', 'two@repo.test'));
      await expect(repo.insert(userRow('u333', 'one@repo.test'))).rejects.toThrow();
      expect((await repo.findByEmail('two@repo.test'))?.id).toBe('u22');
      expect(await repo.findById('nope')).toBeUndefined();
      expect(await repo.countByStatus('pending')).toBeGreaterThanOrEqual(1);
      expect(await repo.countActiveAdmins('u1')).toBe(await repo.countActiveAdmins() - 1);
      const updated = await repo.update('u22', { status: 'approved', approved_at: '2026-02-01T00:00:00.000Z' });
      expect(updated).toMatchObject({ status: 'approved', approved_at: '2026-02-01T00:00:00.000Z', is_admin: 0 });
      const list = await repo.list();
      expect(list.map((u) => u.id)).toEqual(expect.arrayContaining(['u1', 'u22']));
      // newest first
      const times = list.map((u) => u.created_at);
      expect([...times].sort().reverse()).toEqual(times);
      expect(await repo.delete('u22')).toBe(true);
      expect(await repo.delete('u22')).toBe(false);
    });

    it('keeps SQL and HTML in strings as data', async () => {
      const repo = usersRepository(handle.db);
      const evil = `x'); DROP TABLE users; --<script>@repo.test`;
      await repo.insert(userRow('evil', evil));
      expect((await repo.findByEmail(evil))?.email).toBe(evil);
      expect(await repo.count()).toBeGreaterThan(0);
    });

    it('finds a key with its owner, touches it, deletes only for its owner, cascades with the user', async () => {
      const users = usersRepository(handle.db);
      const keys = apiKeysRepository(handle.db);
      await users.insert(userRow('k-owner', 'owner@repo.test', { status: 'approved' }));
      await keys.insert({ id: 'k1', user_id: 'k-owner', name: 'ci', prefix: 'mlxm_abc', key_hash: 'h1', created_at: '2026-01-01T00:00:00.000Z', last_used_at: null });
      const found = await keys.findByHashWithOwner('h1');
      expect(found?.owner).toEqual({ id: 'k-owner', email: 'owner@repo.test', status: 'approved', is_admin: 0 });
      await keys.touch('k1', '2026-03-01T00:00:00.000Z');
      expect((await keys.listForUser('k-owner'))[0]?.last_used_at).toBe('2026-03-01T00:00:00.000Z');
      expect(await keys.deleteForUser('k1', 'someone-else')).toBe(false);
      await keys.insert({ id: 'k2', user_id: 'k-owner', name: 'ci2', prefix: 'mlxm_def', key_hash: 'h2', created_at: '2026-01-02T00:00:00.000Z', last_used_at: null });
      await expect(keys.insert({ id: 'k3', user_id: 'k-owner', name: 'dup', prefix: 'p', key_hash: 'h2', created_at: 'x', last_used_at: null })).rejects.toThrow();
      expect(await keys.deleteAllForUser('k-owner')).toBe(2);
      expect(await keys.findByHashWithOwner('h1')).toBeUndefined();
    });

    describe('account policy (services over this dialect)', () => {
      it('first registered user is an approved admin, later ones are pending [AUTH-01]', async () => {
        // This file's earlier tests inserted rows directly; use a fresh database for the policy.
        await withFreshServices(async (s) => {
          const first = await s.users.register({ email: 'first@p.test', password: 'password-1' }, '127.0.0.1');
          const second = await s.users.register({ email: 'second@p.test', password: 'password-2' }, '127.0.0.1');
          expect(first).toMatchObject({ is_admin: true, status: 'approved' });
          expect(first.approved_at).not.toBeNull();
          expect(second).toMatchObject({ is_admin: false, status: 'pending', approved_at: null });
          await expectCode(s.users.register({ email: 'second@p.test', password: 'password-3' }, '127.0.0.1'), 'conflict');
          expect(await s.users.pendingCount()).toBe(1);

          // approval stamps approved_at
          const approved = await s.users.update(first.id, second.id, { status: 'approved' });
          expect(approved.approved_at).not.toBeNull();

          // the last active admin can be neither demoted, disabled, set pending nor deleted, by anyone
          // (L-24 in docs/lessons-from-the-original.md)
          await expectCode(s.users.update(first.id, first.id, { is_admin: false }), 'last_admin');
          await expectCode(s.users.update(second.id, first.id, { status: 'disabled' }), 'last_admin');
          await expectCode(s.users.update(second.id, first.id, { status: 'pending' }), 'last_admin');
          await expectCode(s.users.delete(first.id), 'last_admin');

          // with a second admin, the first may step down
          await s.users.update(first.id, second.id, { is_admin: true });
          const demoted = await s.users.update(second.id, first.id, { is_admin: false });
          expect(demoted.is_admin).toBe(false);
          await expectCode(s.users.delete(second.id), 'last_admin');
          await expectCode(s.users.update(first.id, 'no-such-id', { status: 'approved' }), 'not_found');
          await expectCode(s.users.update(first.id, first.id, { email: 'second@p.test' }), 'conflict');
        });
      });

      it('concurrent first registrations still make exactly one admin', async () => {
        await withFreshServices(async (s) => {
          const users = await Promise.all([1, 2, 3, 4, 5].map((i) => s.users.register({ email: `race${i}@p.test`, password: 'password-1' }, '127.0.0.1')));
          expect(users.filter((u) => u.is_admin)).toHaveLength(1);
          expect(users.filter((u) => u.status === 'pending')).toHaveLength(4);
        });
      });

      it('the accounts lock serialises read-then-write transactions', async () => {
        const seen = await Promise.all(
          [1, 2, 3, 4].map((i) =>
            handle.db.transaction().execute(async (trx) => {
              await lockForTransaction(trx, LOCK_KEYS.accounts);
              const n = await usersRepository(trx).count();
              await new Promise((r) => setTimeout(r, 30)); // widen the window a race would need
              await usersRepository(trx).insert(userRow(`lock${i}`, `lock${i}@p.test`));
              return n;
            }),
          ),
        );
        // serialised: each transaction saw the previous one's row
        expect(new Set(seen).size).toBe(4);
      });

      it('issues keys shown once, verifies them by hash, refuses revoked keys and disabled owners', async () => {
        const owner = await services.users.createApproved({ email: 'keys@p.test', password: 'password-1', isAdmin: false });
        const created = await services.apiKeys.create(owner.id, 'laptop');
        expect(created.key.startsWith('mlxm_')).toBe(true);
        expect(created.key.startsWith(created.prefix)).toBe(true);
        const rows = await handle.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).execute();
        expect(rows[0]?.key_hash).not.toContain(created.key.slice(5));
        expect(await services.apiKeys.verify(created.key)).toMatchObject({ userId: owner.id, keyId: created.id });
        expect((await services.apiKeys.list(owner.id))[0]?.last_used_at).not.toBeNull();
        expect(await services.apiKeys.verify(created.key + 'x')).toBeUndefined();
        await usersRepository(handle.db).update(owner.id, { status: 'disabled' });
        expect(await services.apiKeys.verify(created.key)).toBeUndefined();
        await expectCode(services.apiKeys.revoke('other-user', created.id), 'not_found');
        await services.apiKeys.revoke(owner.id, created.id);
        await usersRepository(handle.db).update(owner.id, { status: 'approved' });
        expect(await services.apiKeys.verify(created.key)).toBeUndefined();
      });
    });
  });
}
