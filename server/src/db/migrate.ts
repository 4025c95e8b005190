import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { migrations } from './migrations/index.js';

/** Applies every pending migration; throws with the failing migration's name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migrator is untyped: migrations predate the typed schema
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  // Areas number in blocks (0001–0009, 0010–0019…), so a foundation migration may land after a
  // hub one has run: apply any missing migration instead of refusing the database as corrupted.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return results;
}
