import { createRequire } from 'node:module';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pgModule from 'pg';
import type { Config } from '../config/schema.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The SQLite file, when the data lives in one (null: PostgreSQL, or SQLite in memory). */
  sqliteFile: string | null;
  destroy(): Promise<void>;
}

export const SQLITE_FILE_NAME = 'mlx-manager.db';

/** Where the data lives: a PostgreSQL URL, or an SQLite file (default: in the data folder). */
export function describeDatabase(config: Pick<Config, 'home' | 'database_url'>): { dialect: 'postgres'; url: string } | { dialect: 'sqlite'; file: string } {
  const url = config.database_url;
  if (url && /^(postgres|postgresql):\/\//.test(url)) return { dialect: 'postgres', url };
  if (url?.startsWith('sqlite:')) return { dialect: 'sqlite', file: url.slice('sqlite:'.length) };
  if (url) return { dialect: 'sqlite', file: url };
  return { dialect: 'sqlite', file: join(config.home, SQLITE_FILE_NAME) };
}

export function createDatabase(config: Pick<Config, 'home' | 'database_url'>): DatabaseHandle {
  const target = describeDatabase(config);
  if (target.dialect === 'postgres') {
    // Loaded only for PostgreSQL: an SQLite install never holds the driver in memory.
    const pg = createRequire(import.meta.url)('pg') as typeof pgModule;
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', sqliteFile: null, destroy: () => db.destroy() };
  }
  const inMemory = target.file === ':memory:' || target.file === '';
  if (!inMemory) {
    mkdirSync(dirname(target.file), { recursive: true, mode: 0o700 });
    createPrivateFile(target.file);
  }
  const sqlite = new SQLite(target.file);
  // WAL lets readers (CLI, status) work while the server writes; wait rather than fail on a lock.
  sqlite.pragma('journal_mode = WAL');
  // SQLite gives -wal and -shm the database file's mode; a file left by an older version may not have it.
  for (const suffix of ['-wal', '-shm']) if (existsSync(target.file + suffix)) chmodSync(target.file + suffix, PRIVATE_FILE_MODE);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', sqliteFile: inMemory ? null : target.file, destroy: () => db.destroy() };
}

/** Owner read/write only: the database holds password hashes and sealed secrets. */
const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the file 0600 if missing and makes an existing one 0600, whatever the umask or the
 * folder's mode (a data folder that already existed may be world-readable).
 */
function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}
