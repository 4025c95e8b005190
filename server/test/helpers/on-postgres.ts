// Imported first by the files under test/api-postgres/: the API suite imported after it runs
// with every temp home on a fresh database of the run's throw-away PostgreSQL cluster
// (test/setup/postgres.ts), so the same tests cover both dialects. It fails with the reason when
// the cluster could not start, and skips only with MLX_MANAGER_TEST_SKIP_POSTGRES=1.
import { afterAll, beforeEach, expect } from 'vitest';
import { giveEachHomeADatabase } from './config.js';
import { databaseTargets } from './databases.js';

const postgres = databaseTargets().find((t) => t.name === 'postgres');
if (!postgres) throw new Error('no PostgreSQL target in test/helpers/databases.ts');
if (postgres.skipped) {
  beforeEach((ctx) => ctx.skip());
} else {
  let created = 0;
  giveEachHomeADatabase(async () => {
    if (postgres.unavailable) throw new Error(postgres.unavailable);
    const url = await postgres.create();
    if (!url) throw new Error('the PostgreSQL target gave no database URL');
    created += 1;
    return url;
  });
  // A suite that never made a temp home here ran on something else: say so instead of passing.
  afterAll(() => {
    expect(created, 'no test of this file used a PostgreSQL database').toBeGreaterThan(0);
  });
}
