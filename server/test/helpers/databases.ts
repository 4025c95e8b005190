import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface DatabaseTarget {
  name: 'sqlite' | 'postgres';
  /** database_url for a fresh, empty database (undefined = SQLite file in the temp home). */
  create(): Promise<string | undefined>;
  /** Why this target cannot run (PostgreSQL not started); undefined when it can. */
  unavailable?: string;
  skipped: boolean;
}

/**
 * The two dialects the repository suite runs on. Each call to `create()` on PostgreSQL makes a
 * new database on the run's throw-away server, so test files never see each other's rows.
 */
export function databaseTargets(): DatabaseTarget[] {
  const url = inject('postgresUrl');
  const error = inject('postgresError');
  const skipped = process.env.MLX_MANAGER_TEST_SKIP_POSTGRES === '1';
  return [
    { name: 'sqlite', create: async () => undefined, skipped: false },
    {
      name: 'postgres',
      skipped,
      ...(url ? {} : { unavailable: error ?? 'PostgreSQL URL was not provided by the test setup' }),
      create: async () => {
        if (!url) throw new Error(error ?? 'no PostgreSQL');
        const name = `mlxm_${randomBytes(5).toString('hex')}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${name}`);
        } finally {
          await admin.end();
        }
        return url.replace(/\/[^/]+$/, `/${name}`);
      },
    },
  ];
}
