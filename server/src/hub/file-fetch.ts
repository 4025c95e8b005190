import { constants, createReadStream } from 'node:fs';
import { lstat, open, readFile, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { addSpan, coveredBytes, isSpanSet, missingSpans, prefixEnd, type Span } from './byte-spans.js';
import type { ByteStream, HubClient } from './client.js';
import { HubError, hubNetworkError } from './errors.js';
import { FileHasher, newHash, type HashKind } from './file-hasher.js';
import { removeIfExists, writeFileAtomic } from './fs-safe.js';
import type { PieceSizer } from './piece-sizer.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { allOrAbort, childController } from './settle.js';

/**
 * Fetch one file's bytes into its `.incomplete` file, resumably, and hash them.
 * - Small files: one stream, resumed from the partial file's length (like huggingface_hub).
 * - Large files: Range requests written in place by several workers, each taking the next piece
 *   of the missing bytes when it gets a connection (sizes from `PieceSizer`); the spans on disk
 *   are persisted in a sidecar (`.incomplete.chunks.json`) a few times per second, so after a
 *   crash or kill -9 only bytes received since the last save are fetched again. The file is
 *   hashed while it arrives (`FileHasher`).
 * Never accepts more bytes than announced.
 */

export interface FetchTarget {
  url: string;
  size: number;
  incompletePath: string;
  progressPath: string;
  label: string;
  /** The digest `fetchFile` returns: sha256 for LFS files, git blob sha1 otherwise. */
  hash: HashKind;
}

export interface FetchTuning {
  /** Files larger than this are fetched in Range requests (at most this large each). */
  chunkSize: number;
  /** Runs a request under the shared connection limit. */
  withConnection: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Workers per large file (each holds at most one connection at a time). */
  parallel: number;
  /** Sizes the Range requests over the whole download. */
  pieces: PieceSizer;
  retry: RetryPolicy;
  flushMs: number;
  signal?: AbortSignal | undefined;
  /** Called with each number of new bytes written. */
  onBytes: (n: number) => void;
}

/** What a sidecar records: the byte spans of the partial file already on disk. */
interface RangeState {
  size: number;
  have: Span[];
}

// O_NOFOLLOW: a link planted as `<etag>.incomplete` must not redirect our writes (ELOOP instead).
const WRITE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const WRITE_EXISTING = constants.O_RDWR | constants.O_NOFOLLOW;

/** Bytes of this file already on disk (for progress before any request). */
export async function bytesAlreadyFetched(t: Pick<FetchTarget, 'incompletePath' | 'progressPath' | 'size'>, chunkSize: number): Promise<number> {
  if (t.size > chunkSize) {
    const st = await loadRangeState(t.progressPath, t.size);
    return st ? coveredBytes(st.have) : 0;
  }
  try {
    return Math.min((await stat(t.incompletePath)).size, t.size);
  } catch {
    return 0;
  }
}

/**
 * The sidecar, or undefined when it is missing or does not describe this file. Also reads the
 * earlier format (fixed chunks with how far each got), so a download started by an older version
 * resumes instead of starting over.
 */
async function loadRangeState(path: string, size: number): Promise<RangeState | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object') return undefined;
  const st = raw as { size?: unknown; have?: unknown; chunkSize?: unknown; done?: unknown };
  if (st.size !== size) return undefined;
  if (isSpanSet(st.have, size)) return { size, have: st.have };
  const chunk = st.chunkSize;
  if (!Number.isSafeInteger(chunk) || (chunk as number) <= 0 || !Array.isArray(st.done) || st.done.length !== Math.ceil(size / (chunk as number))) return undefined;
  let have: Span[] = [];
  for (const [i, d] of (st.done as unknown[]).entries()) {
    const start = i * (chunk as number);
    const len = Math.min(size, start + (chunk as number)) - start;
    if (!Number.isSafeInteger(d) || (d as number) < 0 || (d as number) > len) return undefined;
    have = addSpan(have, start, start + (d as number));
  }
  return { size, have };
}

function header(h: ByteStream['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Write a response body at `pos`, refusing more than `max` bytes. Returns bytes written. */
async function pipeBody(res: ByteStream, fh: FileHandle, pos: number, max: number, onWrite: (n: number) => void, label: string): Promise<number> {
  let written = 0;
  try {
    for await (const piece of res.body) {
      const buf = piece as Buffer;
      if (written + buf.length > max) {
        throw new HubError('hostile', `${label}: the hub sent more bytes than announced`);
      }
      await fh.write(buf, 0, buf.length, pos + written);
      written += buf.length;
      onWrite(buf.length);
    }
  } catch (err) {
    res.body.destroy();
    if (err instanceof HubError) throw err;
    throw hubNetworkError(err, label);
  }
  return written;
}

async function fetchSingle(client: HubClient, t: FetchTarget, tune: FetchTuning): Promise<void> {
  let claimed = false;
  await withRetry(
    t.label,
    async () => {
      let have = 0;
      try {
        have = (await stat(t.incompletePath)).size;
      } catch {
        have = 0;
      }
      if (have > t.size) {
        await truncate(t.incompletePath, 0);
        have = 0;
      }
      if (have === t.size) return;
      if (!claimed) tune.pieces.claim(t.size - have);
      claimed = true;
      const fh = await open(t.incompletePath, have === 0 ? WRITE_NEW : WRITE_EXISTING);
      try {
        await tune.withConnection(async () => {
          const res = await client.openBytes(t.url, have > 0 ? { start: have } : undefined, tune.signal);
          if (res.status === 200 && have > 0) {
            // The server ignored our Range: start over, as huggingface_hub does.
            tune.onBytes(-have);
            await fh.truncate(0);
            have = 0;
          } else if (res.status === 206 && !(header(res.headers, 'content-range') ?? '').startsWith(`bytes ${have}-`)) {
            res.body.destroy();
            throw new HubError('bad_response', `${t.label}: the hub answered a different range`);
          }
          const got = await pipeBody(res, fh, have, t.size - have, tune.onBytes, t.label);
          if (have + got < t.size) throw new HubError('network', `${t.label}: connection closed after ${have + got} of ${t.size} bytes`);
        });
      } finally {
        await fh.close();
      }
    },
    tune.retry,
    tune.signal,
  );
}

/** A Range request's share of the file: `[from, end)`, `from` moving up as bytes are written. */
interface Piece {
  from: number;
  end: number;
}

/** The partial file and its sidecar; `fresh` when starting over (its sidecar is not written yet). */
async function openRangeState(t: FetchTarget): Promise<{ state: RangeState; fh: FileHandle; fresh: boolean }> {
  const state = await loadRangeState(t.progressPath, t.size);
  if (state) {
    try {
      return { state, fh: await open(t.incompletePath, WRITE_EXISTING), fresh: false };
    } catch {
      // The partial file is gone: its sidecar no longer describes anything.
      await removeIfExists(t.progressPath);
    }
  }
  const fh = await open(t.incompletePath, WRITE_NEW);
  try {
    await fh.truncate(t.size);
  } catch (err) {
    await fh.close();
    throw err;
  }
  // Until the first save there is no valid sidecar, and a resume starts over: nothing is lost
  // but the bytes of the first save interval, and the cold start saves two file operations.
  return { state: { size: t.size, have: [] }, fh, fresh: true };
}

async function fetchRanged(client: HubClient, t: FetchTarget, tune: FetchTuning): Promise<string> {
  const { state, fh, fresh } = await openRangeState(t);
  const hasher = new FileHasher(t.incompletePath, t.hash, t.size);
  hasher.advance(prefixEnd(state.have));
  // Serialised, throttled sidecar saves; `have` only grows after the bytes are written.
  let dirty = fresh;
  let saving = Promise.resolve();
  const save = (): Promise<void> => {
    if (!dirty) return saving;
    dirty = false;
    const snapshot = JSON.stringify(state);
    saving = saving.then(() => writeFileAtomic(t.progressPath, snapshot));
    return saving;
  };
  const timer = setInterval(() => void save().catch(() => undefined), tune.flushMs);
  // Missing runs, cut into pieces only when a worker holds a connection (late sizes fit the tail).
  const todo = missingSpans(state.have, t.size).map(([start, end]) => ({ start, end }));
  const takePiece = (): Piece | undefined => {
    const run = todo[0];
    if (!run) return undefined;
    const len = tune.pieces.next(run.end - run.start);
    const piece = { from: run.start, end: run.start + len };
    run.start += len;
    if (run.start >= run.end) todo.shift();
    return piece;
  };
  // One failing request stops its siblings before the file handle closes.
  const ac = childController(tune.signal);
  const fetchPiece = async (p: Piece): Promise<void> => {
    const res = await client.openBytes(t.url, { start: p.from, end: p.end - 1 }, ac.signal);
    if (res.status !== 206 || !(header(res.headers, 'content-range') ?? '').startsWith(`bytes ${p.from}-`)) {
      res.body.destroy();
      throw new HubError('bad_response', `${t.label}: the file host does not honour Range requests`);
    }
    const want = p.end - p.from;
    const got = await pipeBody(res, fh, p.from, want, (n) => {
      const at = p.from;
      p.from += n;
      state.have = addSpan(state.have, at, at + n);
      dirty = true;
      hasher.advance(prefixEnd(state.have));
      tune.onBytes(n);
    }, t.label);
    if (got < want) throw new HubError('network', `${t.label}: connection closed inside a chunk`);
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      // Nothing left to hand out: stop without queueing for a connection just to learn that.
      if (todo.length === 0) return;
      // A failed request is retried from where its bytes stopped, on whatever connection is free.
      const job: { piece?: Piece | undefined; none?: boolean } = {};
      await withRetry(
        t.label,
        () =>
          tune.withConnection(async () => {
            job.piece ??= takePiece();
            if (job.piece) await fetchPiece(job.piece);
            else job.none = true;
          }),
        tune.retry,
        ac.signal,
      );
      if (job.none) return;
    }
  };
  try {
    await allOrAbort(Array.from({ length: Math.max(1, tune.parallel) }, worker), ac);
  } catch (err) {
    await hasher.close();
    throw err;
  } finally {
    clearInterval(timer);
    dirty = true;
    await save().catch(() => undefined);
    await fh.close();
  }
  return hasher.digest();
}

/** Fetch the file into `incompletePath`; returns its digest (`t.hash`), for the caller to compare. */
export async function fetchFile(client: HubClient, t: FetchTarget, tune: FetchTuning): Promise<string> {
  // A link where a partial file should be is not ours: drop it (and its progress) and start over.
  if ((await lstat(t.incompletePath).catch(() => undefined))?.isSymbolicLink()) await discardPartial(t);
  if (t.size > tune.chunkSize) return fetchRanged(client, t, tune);
  // Nothing to fetch for an empty file (e.g. `__init__.py`), but it still needs its blob.
  if (t.size === 0) await writeFile(t.incompletePath, '', { flag: WRITE_NEW });
  else await fetchSingle(client, t, tune);
  return hashFile(t.incompletePath, t.hash, t.size);
}

/** sha256 (LFS) or git blob sha1 (regular files) of a file on disk, to compare with its etag. */
export async function hashFile(path: string, kind: HashKind, size: number): Promise<string> {
  const h = newHash(kind, size);
  for await (const piece of createReadStream(path)) h.update(piece as Buffer);
  return h.digest('hex');
}

/** Forget a partial file (after a checksum failure the bytes are worthless). */
export async function discardPartial(t: Pick<FetchTarget, 'incompletePath' | 'progressPath'>): Promise<void> {
  await removeIfExists(t.incompletePath);
  await removeIfExists(t.progressPath);
}
