import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema, type Config, type ConfigInput } from '../../src/config/schema.js';

export interface TempHome {
  home: string;
  remove(): Promise<void>;
}

/**
 * Set by test/helpers/on-postgres.ts for the files that rerun a suite on PostgreSQL: each temp
 * home then gets a fresh database on the run's throw-away cluster, which testConfig() selects.
 */
let freshDatabase: (() => Promise<string>) | null = null;
const databaseOfHome = new Map<string, string>();

export function giveEachHomeADatabase(create: () => Promise<string>): void {
  freshDatabase = create;
}

export async function tempHome(): Promise<TempHome> {
  const home = await mkdtemp(join(tmpdir(), 'mlxm-test-'));
  if (freshDatabase) databaseOfHome.set(home, await freshDatabase());
  return {
    home,
    remove: async () => {
      databaseOfHome.delete(home);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A valid config for tests: loopback, port 0, silent logs, data in `home` (and its database, if it has one). */
export function testConfig(home: string, overrides: Partial<ConfigInput> = {}): Config {
  const database = databaseOfHome.get(home);
  return ConfigSchema.parse({ home, host: '127.0.0.1', port: 0, log_level: 'silent', ...(database ? { database_url: database } : {}), ...overrides });
}
