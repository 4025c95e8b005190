import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct SQL texts kept prepared; queries built from filters vary, the hot ones repeat. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely sees it, with `prepare` reusing a statement already prepared for the
 * same SQL text: Kysely prepares every query anew, and on the request path (API-key lookups,
 * audit inserts) preparing costs more than running. Least recently used texts go first.
 * A statement still busy (a streamed SELECT left unfinished) is never handed out twice.
 */
export function withStatementCache(sqlite: SQLiteDatabase, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string): Statement {
      const cached = cache.get(sql);
      if (cached !== undefined && !cached.busy) {
        // Re-inserting moves the text to the newest end of the Map's order.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      cache.delete(sql);
      cache.set(sql, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}
