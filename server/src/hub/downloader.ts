import { lstat, rename, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { blobLinkTarget, isCommitHash, isSafeRevision, repoPaths, assertRepoId, type RepoPaths } from './cache-layout.js';
import type { FileMetadata, HubClient } from './client.js';
import { planDownload, type PlannedFile } from './download-plan.js';
import { HubError } from './errors.js';
import { bytesAlreadyFetched, discardPartial, fetchFile, type FetchTarget } from './file-fetch.js';
import { exists, mkdirNoLinks, symlinkAtomic, writeFileAtomic } from './fs-safe.js';
import { pieceSizer } from './piece-sizer.js';
import { acquireRepoLock } from './repo-lock.js';
import { allOrAbort, childController } from './settle.js';
import { ensureCacheDirTag, writeTreeCache } from './tree-cache.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

/**
 * Download a repo snapshot into the huggingface_hub cache layout (docs/hub.md, "Cache layout"):
 * several files at once, large files in parallel Range chunks, resumable partial files,
 * sha256 verified before the atomic move into `blobs/`, relative snapshot links, `refs/<revision>`.
 */

export interface DownloadProgress {
  /** Bytes of the selected files present (already cached, resumed, or fetched now). */
  bytesDone: number;
  bytesTotal: number;
  /** Bytes received over the network by this call (for speed). */
  bytesFetched: number;
  filesDone: number;
  filesTotal: number;
}

export interface DownloadRequest {
  repo: string;
  revision?: string | undefined;
  /** Paths or fnmatch globs; omitted = every file. */
  include?: readonly string[] | undefined;
}

export interface DownloaderOptions {
  client: HubClient;
  cacheDir: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: DownloadProgress) => void) | undefined;
  /** Called once the plan is known (before any byte is fetched). */
  onPlan?: ((p: { commit: string; files: PlannedFile[]; bytesTotal: number }) => void) | undefined;
  /** Files fetched at once. */
  fileConcurrency?: number;
  /** Connections open at once over all files. */
  connections?: number;
  /** Files larger than this are fetched in Range requests of at most this size. */
  chunkSize?: number;
  /** Smallest Range request near the end of a download (requests shrink as it nears its end). */
  minPieceSize?: number;
  retry?: RetryPolicy;
  /** How often chunk progress is saved (bounds what a crash loses). */
  flushMs?: number;
  progressIntervalMs?: number;
  /** Free bytes available at a path; injectable for tests. */
  freeSpace?: (dir: string) => Promise<number>;
  /** Space kept free besides the download itself. */
  reserveBytes?: number;
}

export interface DownloadResult {
  repo: string;
  revision: string;
  commit: string;
  snapshotDir: string;
  files: PlannedFile[];
  bytesTotal: number;
  bytesFetched: number;
}

export const DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;
export const DEFAULT_MIN_PIECE_SIZE = 512 * 1024;

async function defaultFreeSpace(dir: string): Promise<number> {
  let d = dir;
  // statfs needs an existing path: walk up to the first one.
  for (let i = 0; i < 64; i++) {
    try {
      const s = await statfs(d);
      return s.bavail * s.bsize;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(d) === d) throw err;
      d = dirname(d);
    }
  }
  throw new Error(`no existing parent for ${dir}`);
}

/**
 * A tiny counting semaphore: at most `n` holders at once, served in order. A freed slot passes
 * straight to the first waiter; were it only counted free, a caller arriving before that waiter
 * resumes could take it too, and one more connection than allowed would open.
 */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    else active++;
    try {
      return await fn();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

async function sizeIfFile(p: string): Promise<number | undefined> {
  try {
    // lstat: a link planted in `blobs/` is not a cached blob (it gets replaced, never followed).
    const s = await lstat(p);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

export async function downloadSnapshot(req: DownloadRequest, opts: DownloaderOptions): Promise<DownloadResult> {
  const { client, cacheDir, signal } = opts;
  const revision = req.revision ?? 'main';
  assertRepoId(req.repo);
  if (!isSafeRevision(revision)) throw new HubError('not_found', `invalid revision ${JSON.stringify(revision)}`);
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const paths = repoPaths(cacheDir, req.repo);
  const cancelled = (): HubError => new HubError('cancelled', 'download cancelled');

  const info = await client.modelInfo(req.repo, revision, signal);
  if (!isCommitHash(info.sha)) throw new HubError('hostile', `refusing unsafe commit ${JSON.stringify(info.sha)} from the hub`);
  const commit = info.sha;
  const tree = await client.listTree(req.repo, commit, signal);
  const plan = planDownload(tree, req.include);
  if (req.include && req.include.length > 0 && plan.files.length === 0) {
    throw new HubError('not_found', `${req.repo}: no file matches ${req.include.join(', ')}`);
  }
  opts.onPlan?.({ commit, files: plan.files, bytesTotal: plan.totalBytes });

  const targetOf = (f: PlannedFile): Omit<FetchTarget, 'url'> => ({
    size: f.size,
    hash: f.sha256 ? 'sha256' : 'git-sha1',
    incompletePath: paths.incomplete(f.etag),
    progressPath: paths.progress(f.etag),
    label: `${req.repo}/${f.path}`,
  });

  // What is already here decides both the progress start and the disk space still needed.
  let bytesDone = 0;
  let needed = 0;
  const cached = new Set<string>();
  for (const f of plan.files) {
    if ((await sizeIfFile(paths.blob(f.etag))) === f.size) {
      cached.add(f.etag);
      bytesDone += f.size;
    } else {
      const have = await bytesAlreadyFetched(targetOf(f), chunkSize);
      bytesDone += have;
      needed += f.size - have;
    }
  }
  const free = await (opts.freeSpace ?? defaultFreeSpace)(cacheDir);
  const reserve = opts.reserveBytes ?? 64 * 1024 * 1024;
  if (needed + reserve > free) {
    throw new HubError('disk_full', `${req.repo}: needs ${needed} bytes but only ${free} are free in ${cacheDir}`);
  }

  // The first files' metadata is asked for now, while the lock is taken and the folders are
  // prepared: one round trip less before the first byte. A failure here is asked again below.
  const early = new Map<string, Promise<FileMetadata | undefined>>();
  for (const f of plan.files.filter((x) => !cached.has(x.etag)).slice(0, opts.fileConcurrency ?? 4)) {
    early.set(f.path, client.fileMetadata(req.repo, commit, f.path, signal).catch(() => undefined));
  }

  // Another process (the CLI, a second server) may be fetching the same repo into the same files.
  const release = await acquireRepoLock(cacheDir, req.repo);
  const inner = childController(signal);
  try {
    // Independent of each other: together, for a shorter cold start (all settled before a failure is reported).
    const prepared = await Promise.allSettled([
      mkdirNoLinks(cacheDir, paths.blobsDir),
      mkdirNoLinks(cacheDir, paths.snapshot(commit)),
      mkdirNoLinks(cacheDir, dirname(paths.treeCache(commit))).then(() => writeTreeCache(paths.treeCache(commit), tree)),
      ensureCacheDirTag(cacheDir),
    ]);
    const failed = prepared.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;

    let bytesFetched = 0;
    let filesDone = 0;
    let lastReport = 0;
    const report = (force = false): void => {
      const now = Date.now();
      if (!force && now - lastReport < (opts.progressIntervalMs ?? 100)) return;
      lastReport = now;
      opts.onProgress?.({ bytesDone, bytesTotal: plan.totalBytes, bytesFetched, filesDone, filesTotal: plan.files.length });
    };
    report(true);

    const connections = opts.connections ?? 8;
    const connection = limiter(connections);
    const pieces = pieceSizer({ bytes: needed, connections, maxPiece: chunkSize, minPiece: opts.minPieceSize ?? DEFAULT_MIN_PIECE_SIZE });
    const fileSlot = limiter(opts.fileConcurrency ?? 4);
    // Two selected paths may share a blob: fetch each blob once.
    const blobJobs = new Map<string, Promise<void>>();

    const ensureBlob = (f: PlannedFile): Promise<void> => {
      let job = blobJobs.get(f.etag);
      if (!job) {
        job = cached.has(f.etag) ? Promise.resolve() : fetchBlob(f);
        blobJobs.set(f.etag, job);
      }
      return job;
    };

    const fetchBlob = async (f: PlannedFile): Promise<void> => {
      const meta =
        (await early.get(f.path)) ??
        (await withRetry(`${req.repo}/${f.path}`, () => client.fileMetadata(req.repo, commit, f.path, inner.signal), retry, inner.signal));
      if (meta.etag !== f.etag || meta.size !== f.size) {
        throw new HubError('hostile', `${req.repo}/${f.path}: the hub's file metadata disagrees with its file tree`);
      }
      const target: FetchTarget = { ...targetOf(f), url: meta.location };
      const actual = await fetchFile(client, target, {
        chunkSize,
        withConnection: connection,
        parallel: connections,
        pieces,
        retry,
        flushMs: opts.flushMs ?? 100,
        signal: inner.signal,
        onBytes: (n) => {
          bytesDone += n;
          if (n > 0) bytesFetched += n;
          report();
        },
      });
      if (inner.signal.aborted) throw cancelled();
      const expected = f.sha256 ?? f.etag;
      if (actual !== expected) {
        await discardPartial(target);
        bytesDone -= f.size;
        throw new HubError('checksum', `${req.repo}/${f.path}: checksum mismatch (expected ${expected}, got ${actual}); the partial file was discarded`);
      }
      await rename(target.incompletePath, paths.blob(f.etag));
      await discardPartial(target);
    };

    // The first failing file stops the others: nothing keeps writing once we report.
    await allOrAbort(
      plan.files.map((f) =>
        fileSlot(async () => {
          if (inner.signal.aborted) throw cancelled();
          await ensureBlob(f);
          await linkIntoSnapshot(paths, cacheDir, commit, f);
          filesDone++;
          report();
        }),
      ),
      inner,
    );

    // Written last, so tools that list models by `refs/main` never see a half-downloaded repo.
    if (revision !== commit) {
      const ref = paths.ref(revision);
      await mkdirNoLinks(cacheDir, dirname(ref));
      await writeFileAtomic(ref, commit);
    }
    report(true);
    return {
      repo: req.repo,
      revision,
      commit,
      snapshotDir: paths.snapshot(commit),
      files: plan.files,
      bytesTotal: plan.totalBytes,
      bytesFetched,
    };
  } finally {
    await release();
  }
}

async function linkIntoSnapshot(paths: RepoPaths, cacheDir: string, commit: string, f: PlannedFile): Promise<void> {
  const linkPath = paths.snapshotFile(commit, f.path);
  await mkdirNoLinks(cacheDir, dirname(linkPath));
  await symlinkAtomic(blobLinkTarget(f.path, f.etag), linkPath);
  if (!(await exists(paths.blob(f.etag)))) throw new HubError('bad_response', `blob of ${f.path} vanished`);
}

