import type { Dispatcher } from 'undici';
import type { AttemptOutcome } from '../policy/failover.js';
import type { Timeouts } from '../policy/timeouts.js';

/** One attempt failed in a way the failover policy can judge. */
export class AttemptError extends Error {
  constructor(
    readonly outcome: AttemptOutcome,
    message: string,
  ) {
    super(message);
    this.name = 'AttemptError';
  }
}

/** The client went away: stop everything, answer nobody. */
export class ClientGone extends Error {
  constructor() {
    super('client disconnected');
    this.name = 'ClientGone';
  }
}

export interface UpstreamRequest {
  path: string;
  headers: Record<string, string>;
  /** A sized body: engines such as mlx_lm.server refuse chunked uploads (411). */
  body: Buffer;
  timeouts: Timeouts;
  /** Aborted when the client disconnects. */
  clientSignal: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  /** Milliseconds from sending to the first body byte; null before it arrived. */
  firstByteMs(): number | null;
  /** Milliseconds since the first body byte; null before it arrived. */
  sinceFirstByteMs(): number | null;
  /** The body's chunks as they arrive, under the first-token, idle and total limits. */
  chunks(): AsyncIterable<Buffer>;
  /** The whole body as text (non-streamed answers and errors), under the same limits. */
  text(): Promise<string>;
  /** Stops reading and frees the connection. */
  cancel(): void;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT']);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
}

/**
 * Sends one request to one upstream with the gateway's own timers: connect (the pool's), time to
 * the first body byte, the longest gap between chunks, and the whole request. A client that
 * disconnects aborts the upstream request. Errors before the first byte come out as AttemptError
 * (the failover policy decides), after it as AttemptError 'mid-stream-error' or timeout 'idle'.
 */
export async function callUpstream(pool: Dispatcher, req: UpstreamRequest): Promise<UpstreamResponse> {
  const ctl = new AbortController();
  let timedOut: 'first-token' | 'idle' | 'total' | null = null;
  const fire = (phase: 'first-token' | 'idle' | 'total') => {
    timedOut = phase;
    ctl.abort();
  };
  const onClientGone = () => ctl.abort();
  if (req.clientSignal.aborted) throw new ClientGone();
  req.clientSignal.addEventListener('abort', onClientGone, { once: true });

  const started = Date.now();
  let firstByteAt: number | null = null;
  const ttftTimer = setTimeout(() => fire('first-token'), req.timeouts.firstTokenMs);
  const totalTimer = setTimeout(() => fire('total'), req.timeouts.totalMs);
  let idleTimer: NodeJS.Timeout | undefined;
  const clearTimers = () => {
    clearTimeout(ttftTimer);
    clearTimeout(totalTimer);
    clearTimeout(idleTimer);
    req.clientSignal.removeEventListener('abort', onClientGone);
  };

  const failure = (err: unknown, afterFirstByte: boolean): Error => {
    if (req.clientSignal.aborted) return new ClientGone();
    if (timedOut) return new AttemptError({ kind: 'timeout', phase: timedOut }, `upstream timed out (${timedOut === 'first-token' ? 'no first token' : timedOut === 'idle' ? 'silent between chunks' : 'total time'})`);
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    if (afterFirstByte) return new AttemptError({ kind: 'mid-stream-error' }, `upstream stream broke: ${message}`);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new AttemptError({ kind: 'timeout', phase: 'connect' }, 'upstream connect timed out');
    if (code && CONNECT_CODES.has(code)) return new AttemptError({ kind: 'connect-error' }, `upstream unreachable (${code})`);
    return new AttemptError({ kind: 'connect-error' }, `upstream request failed: ${message}`);
  };

  let res: Dispatcher.ResponseData;
  try {
    res = await pool.request({ method: 'POST', path: req.path, headers: { ...req.headers, 'content-length': String(req.body.length) }, body: req.body, signal: ctl.signal });
  } catch (err) {
    clearTimers();
    throw failure(err, false);
  }

  const body = res.body;
  const arrived = () => {
    if (firstByteAt === null) {
      firstByteAt = Date.now();
      clearTimeout(ttftTimer);
    }
    // One idle timer re-armed per chunk (refresh), not a new timer per chunk.
    if (idleTimer) idleTimer.refresh();
    else idleTimer = setTimeout(() => fire('idle'), req.timeouts.idleMs);
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        arrived();
        yield chunk;
      }
    } catch (err) {
      throw failure(err, firstByteAt !== null);
    } finally {
      clearTimers();
      if (!body.destroyed) body.destroy();
    }
  }
  const contentType = res.headers['content-type'];
  return {
    status: res.statusCode,
    contentType: Array.isArray(contentType) ? (contentType[0] ?? '') : (contentType ?? ''),
    firstByteMs: () => (firstByteAt === null ? null : firstByteAt - started),
    sinceFirstByteMs: () => (firstByteAt === null ? null : Date.now() - firstByteAt),
    chunks,
    // Plain stream events rather than the async iterator: a whole answer is read on every
    // non-streamed request, and this skips a promise per chunk.
    text() {
      return new Promise<string>((resolve, reject) => {
        const parts: Buffer[] = [];
        body.on('data', (chunk: Buffer) => {
          arrived();
          parts.push(chunk);
        });
        body.once('end', () => {
          clearTimers();
          resolve((parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8'));
        });
        body.once('error', (err) => {
          clearTimers();
          reject(failure(err, firstByteAt !== null));
        });
      });
    },
    cancel() {
      clearTimers();
      if (!body.destroyed) body.destroy();
    },
  };
}
