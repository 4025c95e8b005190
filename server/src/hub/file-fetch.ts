import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { lstat, open, readFile, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import type { ByteStream, HubClient } from './client.js';
import { HubError, hubNetworkError } from './errors.js';
import { removeIfExists, writeFileAtomic } from './fs-safe.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { allOrAbort, childController } from './settle.js';

/**
 * Fetch one file's bytes into its `.incomplete` file, resumably.
 * - Small files: one stream, resumed from the partial file's length (like huggingface_hub).
 * - Large files: parallel Range chunks written in place; how far each chunk got is persisted in
 *   a sidecar (`.incomplete.chunks.json`) a few times per second, so after a crash or kill -9
 *   only bytes received since the last save are fetched again.
 * Never accepts more bytes than announced.
 */

export interface FetchTarget {
  url: string;
  size: number;
  incompletePath: string;
  progressPath: string;
  label: string;
}

export interface FetchTuning {
  chunkSize: number;
  /** Runs a request under the shared connection limit. */
  withConnection: <T>(fn: () => Promise<T>) => Promise<T>;
  retry: RetryPolicy;
  flushMs: number;
  signal?: AbortSignal | undefined;
  /** Called with each number of new bytes written. */
  onBytes: (n: number) => void;
}

interface ChunkState {
  size: number;
  chunkSize: number;
  /** Bytes written so far from the start of each chunk. */
  done: number[];
}

// O_NOFOLLOW: a link planted as `<etag>.incomplete` must not redirect our writes (ELOOP instead).
const WRITE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const WRITE_EXISTING = constants.O_RDWR | constants.O_NOFOLLOW;

function chunkBounds(i: number, st: ChunkState): { start: number; end: number } {
  const start = i * st.chunkSize;
  return { start, end: Math.min(st.size, start + st.chunkSize) - 1 };
}

/** Bytes of this file already on disk (for progress before any request). */
export async function bytesAlreadyFetched(t: Pick<FetchTarget, 'incompletePath' | 'progressPath' | 'size'>, chunkSize: number): Promise<number> {
  if (t.size > chunkSize) {
    const st = await loadChunkState(t.progressPath, t.size, chunkSize);
    return st ? st.done.reduce((a, b) => a + b, 0) : 0;
  }
  try {
    return Math.min((await stat(t.incompletePath)).size, t.size);
  } catch {
    return 0;
  }
}

async function loadChunkState(path: string, size: number, chunkSize: number): Promise<ChunkState | undefined> {
  try {
    const st = JSON.parse(await readFile(path, 'utf8')) as ChunkState;
    const n = Math.ceil(size / chunkSize);
    const ok =
      st.size === size &&
      st.chunkSize === chunkSize &&
      Array.isArray(st.done) &&
      st.done.length === n &&
      st.done.every((d, i) => Number.isSafeInteger(d) && d >= 0 && d <= chunkBounds(i, st).end - chunkBounds(i, st).start + 1);
    return ok ? st : undefined;
  } catch {
    return undefined;
  }
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

async function fetchChunked(client: HubClient, t: FetchTarget, tune: FetchTuning): Promise<void> {
  let st = await loadChunkState(t.progressPath, t.size, tune.chunkSize);
  let fh: FileHandle;
  if (st) {
    try {
      fh = await open(t.incompletePath, WRITE_EXISTING);
    } catch {
      st = undefined;
    }
  }
  if (!st) {
    st = { size: t.size, chunkSize: tune.chunkSize, done: Array<number>(Math.ceil(t.size / tune.chunkSize)).fill(0) };
    fh = await open(t.incompletePath, WRITE_NEW);
    await fh.truncate(t.size);
    await writeFileAtomic(t.progressPath, JSON.stringify(st));
  }
  const state = st;
  // Serialised, throttled sidecar saves; `done` only grows after the bytes are written.
  let dirty = false;
  let saving = Promise.resolve();
  const save = (): Promise<void> => {
    if (!dirty) return saving;
    dirty = false;
    const snapshot = JSON.stringify(state);
    saving = saving.then(() => writeFileAtomic(t.progressPath, snapshot));
    return saving;
  };
  const timer = setInterval(() => void save().catch(() => undefined), tune.flushMs);
  try {
    const pending = state.done.map((_, i) => i).filter((i) => {
      const { start, end } = chunkBounds(i, state);
      return (state.done[i] ?? 0) < end - start + 1;
    });
    // One failing chunk stops its siblings before the file handle closes.
    const ac = childController(tune.signal);
    await allOrAbort(
      pending.map((i) =>
        withRetry(
          t.label,
          () =>
            tune.withConnection(async () => {
              const { start, end } = chunkBounds(i, state);
              const from = start + (state.done[i] ?? 0);
              if (from > end) return;
              const res = await client.openBytes(t.url, { start: from, end }, ac.signal);
              if (res.status !== 206 || !(header(res.headers, 'content-range') ?? '').startsWith(`bytes ${from}-`)) {
                res.body.destroy();
                throw new HubError('bad_response', `${t.label}: the file host does not honour Range requests`);
              }
              const got = await pipeBody(res, fh, from, end - from + 1, (n) => {
                state.done[i] = (state.done[i] ?? 0) + n;
                dirty = true;
                tune.onBytes(n);
              }, t.label);
              if (from + got < end + 1) throw new HubError('network', `${t.label}: connection closed inside a chunk`);
            }),
          tune.retry,
          ac.signal,
        ),
      ),
      ac,
    );
  } finally {
    clearInterval(timer);
    dirty = true;
    await save().catch(() => undefined);
    await fh!.close();
  }
}

export async function fetchFile(client: HubClient, t: FetchTarget, tune: FetchTuning): Promise<void> {
  // A link where a partial file should be is not ours: drop it (and its progress) and start over.
  if ((await lstat(t.incompletePath).catch(() => undefined))?.isSymbolicLink()) await discardPartial(t);
  // Nothing to fetch for an empty file (e.g. `__init__.py`), but it still needs its blob.
  if (t.size === 0) await writeFile(t.incompletePath, '', { flag: WRITE_NEW });
  else if (t.size > tune.chunkSize) await fetchChunked(client, t, tune);
  else await fetchSingle(client, t, tune);
}

/** sha256 (LFS) or git blob sha1 (regular files) of a file on disk, to compare with its etag. */
export async function hashFile(path: string, kind: 'sha256' | 'git-sha1', size: number): Promise<string> {
  const h = createHash(kind === 'sha256' ? 'sha256' : 'sha1');
  if (kind === 'git-sha1') h.update(`blob ${size}\0`);
  for await (const piece of createReadStream(path)) h.update(piece as Buffer);
  return h.digest('hex');
}

/** Forget a partial file (after a checksum failure the bytes are worthless). */
export async function discardPartial(t: Pick<FetchTarget, 'incompletePath' | 'progressPath'>): Promise<void> {
  await removeIfExists(t.incompletePath);
  await removeIfExists(t.progressPath);
}
