// The downloads repository on a real SQLite file and a real PostgreSQL server (same assertions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { downloadsRepository } from '../../src/db/repositories/downloads.js';
import type { DownloadRow } from '../../src/db/tables/downloads.js';
import { testConfig, tempHome, type TempHome } from '../helpers/config.js';
import { databaseTargets } from '../helpers/databases.js';

function row(id: string, repo: string, state: DownloadRow['state'], at: string): DownloadRow {
  return {
    id, repo, revision: 'main', files: null, state, bytes_done: 0, bytes_total: 0, error: null,
    commit_sha: null, created_by: null, created_at: at, updated_at: at, finished_at: null,
  };
}

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`downloads repository on ${target.name}`, () => {
    let tmp: TempHome;
    let handle: DatabaseHandle;

    beforeAll(async () => {
      if (target.unavailable) throw new Error(target.unavailable);
      tmp = await tempHome();
      handle = createDatabase(testConfig(tmp.home, { database_url: await target.create() }));
      await migrateToLatest(handle.db);
    });
    afterAll(async () => {
      await handle?.destroy();
      await tmp?.remove();
    });

    it('stores, finds the active download of a repo, and keeps 64-bit byte counts as numbers', async () => {
      const repo = downloadsRepository(handle.db);
      await repo.insert(row('a', 'org/one', 'done', '2026-01-01T00:00:00.000Z'));
      await repo.insert(row('b', 'org/one', 'running', '2026-01-02T00:00:00.000Z'));
      await repo.insert(row('c', 'org/two', 'queued', '2026-01-03T00:00:00.000Z'));
      expect((await repo.findActiveByRepo('org/one'))?.id).toBe('b');
      expect(await repo.findActiveByRepo('org/three')).toBeUndefined();
      expect((await repo.listActive()).map((r) => r.id)).toEqual(['b', 'c']);
      const big = 300 * 1024 ** 3; // beyond 32 bits
      await repo.update('b', { bytes_done: big - 1, bytes_total: big, files: JSON.stringify(['*.gguf']), state: 'done', finished_at: '2026-01-04T00:00:00.000Z' });
      const b = await repo.findById('b');
      expect(b).toMatchObject({ bytes_done: big - 1, bytes_total: big, files: '["*.gguf"]', state: 'done' });
      expect(typeof b?.bytes_total).toBe('number');
      expect((await repo.list()).map((r) => r.id)).toEqual(['c', 'b', 'a']);
      expect((await repo.listActive()).map((r) => r.id)).toEqual(['c']);
    });
  });
}
