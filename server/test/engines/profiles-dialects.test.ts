// The profiles service on both database dialects: CRUD, duplicate, JSON settings round trip,
// sealed secrets and owners, conflicts from the checks and from the unique indexes (a race both
// checks passed).
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { profilesRepository } from '../../src/db/repositories/profiles.js';
import { createEventBus } from '../../src/services/event-bus.js';
import { createProfilesService } from '../../src/services/profiles.js';
import { createSecretBox } from '../../src/services/secret-box.js';
import { databaseTargets } from '../helpers/databases.js';
import { tempHome } from '../helpers/config.js';

const cleanups: (() => Promise<void>)[] = [];
const admin = { id: 'admin-id', isAdmin: true };
const secrets = createSecretBox('m'.repeat(32));
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`profiles on ${target.name}`, () => {
    async function service(): Promise<{ db: DatabaseHandle; svc: ReturnType<typeof createProfilesService> }> {
      if (target.unavailable) throw new Error(target.unavailable);
      const tmp = await tempHome();
      const db = createDatabase({ home: tmp.home, database_url: await target.create() });
      cleanups.push(tmp.remove, () => db.destroy());
      await migrateToLatest(db.db);
      // Machine ports are not the point here: every port counts as free.
      return { db, svc: createProfilesService({ db: db.db, events: createEventBus(), secrets, defaultPortStart: 20000, isPortFree: async () => true }) };
    }

    it('creates, reads, updates, duplicates and deletes with every field kept', async () => {
      const { svc } = await service();
      const p = await svc.create({ name: 'A', engine: 'vllm-mlx', model: 'org/a', env: { X: '1' }, extra_args: ['--stream-interval', '2'], idle_ttl_seconds: 60, start_on_boot: true }, admin);
      expect(p.port).toBe(20000);
      expect(await svc.get(p.id)).toEqual(p);
      const u = await svc.update(p.id, { description: 'multi\nline', start_on_boot: false, port: 20005 }, admin);
      expect(u).toMatchObject({ description: 'multi\nline', start_on_boot: false, port: 20005, env: { X: '1' }, idle_ttl_seconds: 60 });
      const d = await svc.duplicate(p.id, undefined, admin);
      expect(d).toMatchObject({ name: 'A (copy)', port: 20000, extra_args: ['--stream-interval', '2'] });
      expect((await svc.list()).map((x) => x.name)).toEqual(['A', 'A (copy)']);
      await svc.remove(p.id, admin);
      await expect(svc.get(p.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('refuses duplicate names and ports, also when a race passed the checks (unique index)', async () => {
      const { db, svc } = await service();
      const a = await svc.create({ name: 'A', engine: 'mlx-lm', model: 'org/a' }, admin);
      await expect(svc.create({ name: 'A', engine: 'mlx-lm', model: 'org/b' }, admin)).rejects.toMatchObject({ code: 'conflict' });
      await expect(svc.create({ name: 'B', engine: 'mlx-lm', model: 'org/b', port: a.port }, admin)).rejects.toMatchObject({ code: 'conflict' });
      const row = await profilesRepository(db.db).findById(a.id);
      await expect(profilesRepository(db.db).insert({ ...row!, id: 'other', name: 'C' })).rejects.toThrow(/unique|duplicate/i);
    });

    it('keeps the owner, seals env values and extra arguments, and still reads rows from before sealing', async () => {
      const { db, svc } = await service();
      const p = await svc.create({ name: 'S', engine: 'mlx-lm', model: 'org/s', env: { HF_TOKEN: 'hf_clear_value' }, extra_args: ['--api-key', 'sk-clear'] }, admin);
      expect(p.created_by).toBe('admin-id');
      const repo = profilesRepository(db.db);
      const row = (await repo.findById(p.id))!;
      expect(`${row.settings}${row.secrets}`).not.toMatch(/hf_clear_value|sk-clear/);
      // A row written before sealing: env and extra_args in clear inside settings, no secrets column.
      const legacy = { ...JSON.parse(row.settings), env: { HF_TOKEN: 'hf_legacy' }, extra_args: ['--x'] };
      await repo.replace({ ...row, settings: JSON.stringify(legacy), secrets: null, created_by: null });
      expect(await svc.get(p.id)).toMatchObject({ env: { HF_TOKEN: 'hf_legacy' }, extra_args: ['--x'], created_by: null });
      await svc.update(p.id, { description: 'sealed now' }, admin);
      const resealed = (await repo.findById(p.id))!;
      expect(`${resealed.settings}${resealed.secrets}`).not.toContain('hf_legacy');
      expect(await svc.get(p.id)).toMatchObject({ env: { HF_TOKEN: 'hf_legacy' }, description: 'sealed now' });
    });
  });
}
