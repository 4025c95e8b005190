import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { DownloadRow, DownloadsTable } from '../tables/downloads.js';

type Db = Kysely<Database> | Transaction<Database>;

export type DownloadPatch = Updateable<Omit<DownloadsTable, 'id' | 'created_at'>>;

const ACTIVE: DownloadsTable['state'][] = ['queued', 'running'];

/** bigint columns come back as strings from PostgreSQL. */
function normalise(row: DownloadRow): DownloadRow {
  return { ...row, bytes_done: Number(row.bytes_done), bytes_total: Number(row.bytes_total) };
}

/** Plain data access for `downloads`; dedupe and lifecycle live in services/downloads.ts. */
export function downloadsRepository(db: Db) {
  return {
    async insert(row: DownloadRow): Promise<void> {
      await db.insertInto('downloads').values(row).execute();
    },
    async findById(id: string): Promise<DownloadRow | undefined> {
      const row = await db.selectFrom('downloads').selectAll().where('id', '=', id).executeTakeFirst();
      return row && normalise(row);
    },
    /** The queued or running download of a repo, if any (there is at most one). */
    async findActiveByRepo(repo: string): Promise<DownloadRow | undefined> {
      const row = await db.selectFrom('downloads').selectAll().where('repo', '=', repo).where('state', 'in', ACTIVE).executeTakeFirst();
      return row && normalise(row);
    },
    async listActive(): Promise<DownloadRow[]> {
      return (await db.selectFrom('downloads').selectAll().where('state', 'in', ACTIVE).orderBy('created_at').orderBy('id').execute()).map(normalise);
    },
    /** Newest first; `limit` bounds the history. */
    async list(limit = 200): Promise<DownloadRow[]> {
      return (await db.selectFrom('downloads').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()).map(normalise);
    },
    async update(id: string, patch: DownloadPatch): Promise<void> {
      if (Object.keys(patch).length > 0) await db.updateTable('downloads').set(patch).where('id', '=', id).execute();
    },
  };
}

export type DownloadsRepository = ReturnType<typeof downloadsRepository>;
