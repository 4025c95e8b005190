import { randomUUID } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreateDownloadRequest, Download } from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import { downloadsRepository } from '../db/repositories/downloads.js';
import type { Database } from '../db/schema.js';
import type { DownloadRow } from '../db/tables/downloads.js';
import { repoPaths } from '../hub/cache-layout.js';
import type { HubClient } from '../hub/client.js';
import { downloadSnapshot, type DownloaderOptions, type DownloadProgress } from '../hub/downloader.js';
import { HubError } from '../hub/errors.js';
import { etaSeconds, pushSample, speedOf, type SpeedSample } from '../hub/speed.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';

/**
 * The download manager: one download per repo (a second request joins the first), state in the
 * database so unfinished downloads resume after a restart, execution decoupled from any client
 * (L-10), progress on the event bus a few times per second, cancel (L-12); lessons L-nn are in
 * docs/lessons-from-the-original.md.
 */

export interface DownloadsDeps {
  db: Kysely<Database>;
  events: EventBus;
  client: HubClient;
  cacheDir: string;
  offline: boolean;
  /** Downloads running at once; the rest wait as `queued`. */
  maxConcurrent?: number;
  /** Tuning passed to the downloader (tests use small chunks). */
  downloader?: Partial<Pick<DownloaderOptions, 'chunkSize' | 'connections' | 'fileConcurrency' | 'retry' | 'freeSpace' | 'reserveBytes'>>;
  /** Minimum gap between progress events of one download. */
  progressEventMs?: number;
  /** Minimum gap between progress writes to the database. */
  persistMs?: number;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

interface Live {
  abort: AbortController;
  /** Why it was aborted: a user cancel ends the download, a shutdown leaves it to resume. */
  reason?: 'cancel' | 'shutdown';
  bytesDone: number;
  bytesTotal: number;
  samples: SpeedSample[];
  lastEvent: number;
  lastPersist: number;
  done: Promise<void>;
}

function toDownload(row: DownloadRow, live?: Live): Download {
  const done = live ? live.bytesDone : Number(row.bytes_done);
  const total = live ? live.bytesTotal : Number(row.bytes_total);
  const speed = live && row.state === 'running' ? speedOf(live.samples) : 0;
  const percent = row.state === 'done' ? 100 : total > 0 ? Math.min(100, Math.floor((done / total) * 1000) / 10) : 0;
  return {
    id: row.id,
    repo: row.repo,
    revision: row.revision,
    files: row.files === null ? null : (JSON.parse(row.files) as string[]),
    state: row.state,
    bytes_done: done,
    bytes_total: total,
    percent,
    speed_bps: Math.round(speed),
    eta_seconds: row.state === 'running' ? etaSeconds(done, total, speed) : row.state === 'done' ? 0 : null,
    error: row.error,
    commit: row.commit_sha,
    created_by: row.created_by ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    finished_at: row.finished_at,
  };
}

/** What fixes a gated or private repo. */
export const HUB_TOKEN_HINT = 'accept the repo\'s terms on the hub and set a Hugging Face token in Settings';

export function hubErrorToAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof HubError)) return new AppError('internal_error', 'unexpected error while talking to the hub');
  switch (err.kind) {
    case 'not_found':
      return new AppError('not_found', err.message);
    case 'invalid':
      return new AppError('bad_request', err.message);
    case 'unauthorized':
    case 'gated':
      // Not 401: that would read as "your session expired" to the web app. The details let the
      // web app link to the token field of the Settings page.
      return new AppError('forbidden', err.message, { cause: err.kind, hint: HUB_TOKEN_HINT, settings: '/settings' });
    case 'rate_limited':
      return new AppError('rate_limited', err.message, err.retryAfterSeconds === undefined ? undefined : { retry_after_seconds: err.retryAfterSeconds });
    case 'network':
    case 'offline':
      return new AppError('unavailable', err.message);
    case 'cancelled':
    case 'busy':
      return new AppError('conflict', err.message);
    default:
      return new AppError('upstream_error', err.message);
  }
}

export function createDownloadsService(deps: DownloadsDeps) {
  const repo = downloadsRepository(deps.db);
  const now = (): string => (deps.now?.() ?? new Date()).toISOString();
  const live = new Map<string, Live>();
  const maxConcurrent = deps.maxConcurrent ?? 2;
  const progressEventMs = deps.progressEventMs ?? 250;
  const persistMs = deps.persistMs ?? 2000;
  let closed = false;
  /** Repos with a queued or running download (kept in memory for the synchronous "in use" checks). */
  const activeRepos = new Set<string>();
  let pumping: Promise<void> = Promise.resolve();

  const publish = async (id: string, type: 'download.progress' | 'download.end'): Promise<void> => {
    const row = await repo.findById(id);
    if (row) deps.events.publish({ type, download: toDownload(row, live.get(id)) });
  };

  const finish = async (id: string, patch: Parameters<typeof repo.update>[1]): Promise<void> => {
    await repo.update(id, { ...patch, updated_at: now(), finished_at: now() });
    const row = await repo.findById(id);
    if (row) activeRepos.delete(row.repo);
    if (row) deps.events.publish({ type: 'download.end', download: toDownload(row) });
    if (patch.state === 'done') deps.events.publish({ type: 'models.changed' });
  };

  /** Remove a repo's partial files after a user cancel (a shutdown keeps them to resume). */
  const dropPartials = async (repoId: string): Promise<void> => {
    const blobs = repoPaths(deps.cacheDir, repoId).blobsDir;
    for (const name of await readdir(blobs).catch(() => [] as string[])) {
      if (name.includes('.incomplete')) await unlink(join(blobs, name)).catch(() => undefined);
    }
  };

  const run = (row: DownloadRow): void => {
    const l: Live = {
      abort: new AbortController(),
      bytesDone: Number(row.bytes_done),
      bytesTotal: Number(row.bytes_total),
      samples: [],
      lastEvent: 0,
      lastPersist: 0,
      done: Promise.resolve(),
    };
    live.set(row.id, l);
    const onProgress = (p: DownloadProgress): void => {
      l.bytesDone = p.bytesDone;
      l.bytesTotal = p.bytesTotal;
      const t = Date.now();
      l.samples = pushSample(l.samples, { at: t, bytes: p.bytesFetched });
      if (t - l.lastPersist >= persistMs) {
        l.lastPersist = t;
        void repo.update(row.id, { bytes_done: p.bytesDone, bytes_total: p.bytesTotal, updated_at: now() }).catch(deps.onError);
      }
      if (t - l.lastEvent >= progressEventMs) {
        l.lastEvent = t;
        void publish(row.id, 'download.progress').catch(deps.onError);
      }
    };
    l.done = (async () => {
      try {
        // A cancel may have landed between scheduling and now: only a still-active row runs.
        const fresh = await repo.findById(row.id);
        if (!fresh || (fresh.state !== 'queued' && fresh.state !== 'running')) return;
        await repo.update(row.id, { state: 'running', updated_at: now() });
        const files = row.files === null ? undefined : (JSON.parse(row.files) as string[]);
        const res = await downloadSnapshot(
          { repo: row.repo, revision: row.revision, include: files },
          {
            ...deps.downloader,
            client: deps.client,
            cacheDir: deps.cacheDir,
            signal: l.abort.signal,
            onProgress,
            onPlan: (p) => {
              l.bytesTotal = p.bytesTotal;
              void repo.update(row.id, { bytes_total: p.bytesTotal, commit_sha: p.commit, updated_at: now() }).catch(deps.onError);
            },
          },
        );
        l.bytesDone = res.bytesTotal;
        await finish(row.id, { state: 'done', bytes_done: res.bytesTotal, bytes_total: res.bytesTotal, commit_sha: res.commit, error: null });
      } catch (err) {
        if (l.reason === 'shutdown') {
          // Stays queued/running in the database: the next start resumes it.
          await repo.update(row.id, { state: 'queued', bytes_done: l.bytesDone, updated_at: now() }).catch(deps.onError);
        } else if (l.reason === 'cancel') {
          await dropPartials(row.repo);
          await finish(row.id, { state: 'cancelled', bytes_done: l.bytesDone, error: null });
        } else {
          const message = err instanceof HubError ? err.message : `download failed: ${(err as Error).message ?? String(err)}`;
          if (!(err instanceof HubError)) deps.onError?.(err);
          await finish(row.id, { state: 'failed', bytes_done: l.bytesDone, error: message });
        }
      } finally {
        live.delete(row.id);
        schedule();
      }
    })().catch(deps.onError);
  };

  /** Start queued downloads while there is room (serialised so two calls never overbook). */
  const schedule = (): void => {
    pumping = pumping
      .then(async () => {
        if (closed) return;
        const active = await repo.listActive();
        for (const row of active) activeRepos.add(row.repo);
        for (const row of active) {
          if (live.size >= maxConcurrent) break;
          if (!live.has(row.id)) run(row);
        }
      })
      .catch(deps.onError);
  };

  const startNow = async (req: CreateDownloadRequest, userId?: string): Promise<{ download: Download; created: boolean }> => {
    if (closed) throw new AppError('unavailable', 'the download manager is shutting down');
    if (deps.offline) throw new AppError('unavailable', 'cannot download in offline mode (HF_HUB_OFFLINE is set)');
    const existing = await repo.findActiveByRepo(req.repo);
    if (existing) return { download: toDownload(existing, live.get(existing.id)), created: false };
    const t = now();
    const row: DownloadRow = {
      id: randomUUID(),
      repo: req.repo,
      revision: req.revision ?? 'main',
      files: req.files ? JSON.stringify(req.files) : null,
      state: 'queued',
      bytes_done: 0,
      bytes_total: 0,
      error: null,
      commit_sha: null,
      created_by: userId ?? null,
      created_at: t,
      updated_at: t,
      finished_at: null,
    };
    await repo.insert(row);
    activeRepos.add(row.repo);
    deps.events.publish({ type: 'download.progress', download: toDownload(row) });
    schedule();
    return { download: toDownload(row), created: true };
  };

  let startLock: Promise<void> = Promise.resolve();

  return {
    /** Start (or join) the download of a repo. `created` is false when one was already active. */
    start(req: CreateDownloadRequest, userId?: string): Promise<{ download: Download; created: boolean }> {
      // Serialised: two simultaneous requests for one repo must not both insert.
      const result = startLock.then(() => startNow(req, userId));
      startLock = result.then(() => undefined, () => undefined);
      return result;
    },

    async list(): Promise<Download[]> {
      return (await repo.list()).map((r) => toDownload(r, live.get(r.id)));
    },

    async get(id: string): Promise<Download> {
      const row = await repo.findById(id);
      if (!row) throw new AppError('not_found', `no download ${id}`);
      return toDownload(row, live.get(id));
    },

    /**
     * Cancel a queued or running download; cancelling a finished one is a 409. Only the user who
     * started it (the one who joined it did not) or an admin may.
     */
    async cancel(id: string, actor: { id: string; isAdmin: boolean }): Promise<Download> {
      const row = await repo.findById(id);
      if (!row) throw new AppError('not_found', `no download ${id}`);
      if (!actor.isAdmin && row.created_by !== actor.id) throw new AppError('forbidden', 'Only the user who started this download or an admin may cancel it');
      if (row.state !== 'queued' && row.state !== 'running') throw new AppError('conflict', `download ${id} is already ${row.state}`);
      const l = live.get(id);
      if (l) {
        l.reason = 'cancel';
        l.abort.abort();
        await l.done;
      } else {
        await finish(id, { state: 'cancelled' });
      }
      return toDownload((await repo.findById(id)) ?? row);
    },

    /** True while a download of this repo is queued or running in this process. */
    isDownloading(repoId: string): boolean {
      return activeRepos.has(repoId);
    },

    /** Resume what a previous run left unfinished (call once at start). */
    resumeUnfinished(): void {
      schedule();
    },

    /** Wait until no download is starting (tests). */
    async settled(): Promise<void> {
      await pumping;
      await Promise.all([...live.values()].map((l) => l.done));
    },

    /** Stop running downloads without ending them: they resume at the next start. */
    async close(): Promise<void> {
      closed = true;
      await pumping;
      const running = [...live.values()];
      for (const l of running) {
        l.reason = 'shutdown';
        l.abort.abort();
      }
      await Promise.all(running.map((l) => l.done));
    },
  };
}

export type DownloadsService = ReturnType<typeof createDownloadsService>;
