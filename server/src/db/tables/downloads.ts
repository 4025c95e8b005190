import type { Selectable } from 'kysely';

/**
 * Downloads, persisted so unfinished ones resume when the manager restarts. Byte counts are
 * bigint on PostgreSQL (read back as strings there: the repository converts them).
 */
export interface DownloadsTable {
  id: string;
  repo: string;
  revision: string;
  /** JSON array of selected paths/globs, or null for the whole repo. */
  files: string | null;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  bytes_done: number | string;
  bytes_total: number | string;
  error: string | null;
  commit_sha: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface DownloadsTables {
  downloads: DownloadsTable;
}

export type DownloadRow = Selectable<DownloadsTable>;
