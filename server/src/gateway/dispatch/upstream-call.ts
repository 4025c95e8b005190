import type { Dispatcher } from 'undici';
import type { AttemptOutcome } from '../policy/failover.js';
import type { Timeouts } from '../policy/timeouts.js';
import type { ClientPresence } from './client-presence.js';

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
  headers: Readonly<Record<string, string>>;
  /** A sized body: engines such as mlx_lm.server refuse chunked uploads (411). */
  body: Buffer;
  timeouts: Timeouts;
  /** The client of the request: when it leaves, the upstream request is cancelled. */
  client: ClientPresence;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  /** Milliseconds from sending to the first body byte; null before it arrived. */
  firstByteMs(): number | null;
  /** Milliseconds since the first body byte; null before it arrived. */
  sinceFirstByteMs(): number | null;
  /**
   * Hands each body chunk to `onChunk` as it arrives, under the first-token, idle and total
   * limits; resolves at the end of the body. Call once. An error thrown by `onChunk` stops the
   * call and rejects with that error as it is.
   */
  relay(onChunk: (chunk: Buffer) => void): Promise<void>;
  /** The whole body as text (non-streamed answers and errors), under the same limits. */
  text(): Promise<string>;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT']);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
}

type TimedPhase = 'first-token' | 'idle' | 'total';

/** Pure: the Content-Type value in a raw header list (name, value, name, value…), or ''. */
export function contentTypeOf(rawHeaders: readonly Buffer[]): string {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 12 && name.toString('latin1').toLowerCase() === 'content-type') return rawHeaders[i + 1]!.toString('latin1');
  }
  return '';
}

/** Why an upstream call was stopped on our side (a limit, the client leaving, a relay error); never shown to anyone. */
const stoppedHere = () => new Error('stopped by the gateway');

/**
 * Sends one request to one upstream with the gateway's own timers: connect (the pool's), time to
 * the first body byte, the longest gap between chunks, and the whole request. A client that
 * disconnects aborts the upstream request. Errors before the first byte come out as AttemptError
 * (the failover policy decides), after it as AttemptError 'mid-stream-error' or timeout 'idle'.
 */
export function callUpstream(pool: Dispatcher, req: UpstreamRequest): Promise<UpstreamResponse> {
  if (req.client.gone) return Promise.reject(new ClientGone());
  return new Promise<UpstreamResponse>((resolve, reject) => {
    const call = new UpstreamCall(req, resolve, reject);
    // A Buffer body is always sent with its Content-Length (undici writes it from the body).
    pool.dispatch({ method: 'POST', path: req.path, headers: req.headers, body: req.body }, call);
  });
}

/**
 * One upstream call as an undici dispatch handler: the body's chunks go straight to whoever reads
 * them, with no stream object, async iterator or AbortController in between (this runs for every
 * `/v1` request, and those cost more than the relaying itself).
 */
class UpstreamCall implements Dispatcher.DispatchHandler, UpstreamResponse {
  status = 0;
  contentType = '';
  /** Cancels the request at undici (given when it is sent). */
  private abort: ((err?: Error) => void) | null = null;
  /** Times in milliseconds on the monotonic clock (a wall clock set back must not stretch a limit). */
  private readonly started = performance.now();
  private firstByteAt: number | null = null;
  /** When the last chunk came (the idle limit counts from there). */
  private lastChunkAt = 0;
  private timedOut: TimedPhase | null = null;
  /** Set once the call stopped on our side; the upstream is aborted as soon as it can be. */
  private stopped = false;
  /**
   * One timer for the three limits, set for the nearest deadline and checked when it fires: a
   * chunk only notes its time, so a long stream costs no timer operation per chunk.
   */
  private timer: NodeJS.Timeout | undefined;
  /** Waiting for the head; null once it came (or the call failed before). */
  private head: { resolve: (r: UpstreamResponse) => void; reject: (e: Error) => void } | null;
  /** Chunks not handed to a reader yet: before relay() (head and body often come in one read), or all of them for text(). */
  private early: Buffer[] = [];
  private sink: ((chunk: Buffer) => void) | null = null;
  /** The end of the body: null while it flows, then the error it ended with, or false for a clean end. */
  private ended: Error | false | null = null;
  private reader: { resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly req: UpstreamRequest,
    resolve: (r: UpstreamResponse) => void,
    reject: (e: Error) => void,
  ) {
    this.head = { resolve, reject };
    this.arm(this.started);
    req.client.watch(this.onClientGone);
  }

  firstByteMs(): number | null {
    return this.firstByteAt === null ? null : this.firstByteAt - this.started;
  }

  sinceFirstByteMs(): number | null {
    return this.firstByteAt === null ? null : performance.now() - this.firstByteAt;
  }

  relay(onChunk: (chunk: Buffer) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.reader = { resolve, reject };
      const early = this.early;
      this.early = [];
      try {
        for (const chunk of early) onChunk(chunk);
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      this.sink = onChunk;
      if (this.ended !== null) this.finish();
    });
  }

  text(): Promise<string> {
    // No reader callback: the chunks stay in `early` until the end.
    return new Promise<string>((resolve, reject) => {
      this.reader = { resolve: () => resolve((this.early.length === 1 ? this.early[0]! : Buffer.concat(this.early)).toString('utf8')), reject };
      if (this.ended !== null) this.finish();
    });
  }

  // --- undici's side ---
  // The handler methods undici's HTTP/1.1 client itself calls. Its newer ones (onRequestStart,
  // onResponseStart…) are adapted to these by a wrapper and a controller per request that also
  // turn the raw header list into an object — work a request on every /v1 call does not need
  // (the content type is all it reads). They are marked deprecated in undici's types, not removed.

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    if (this.stopped) abort(stoppedHere());
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, _statusText: string): boolean {
    if (statusCode < 200 || !this.head) return true;
    this.status = statusCode;
    this.contentType = contentTypeOf(rawHeaders);
    const { resolve } = this.head;
    this.head = null;
    resolve(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.stopped) return true;
    this.lastChunkAt = performance.now();
    this.firstByteAt ??= this.lastChunkAt;
    if (!this.sink) {
      this.early.push(chunk);
      return true;
    }
    try {
      this.sink(chunk);
    } catch (err) {
      this.fail(err as Error);
    }
    return true;
  }

  onComplete(): void {
    if (this.stopped) return;
    this.ended = false;
    this.clear();
    this.finish();
  }

  onError(err: Error): void {
    if (this.stopped) return;
    this.ended = this.failure(err);
    this.clear();
    this.settleHead();
    this.finish();
  }

  // --- ours ---

  /** Sets the timer for the nearest deadline still ahead, or stops the call at one passed. */
  private arm(now: number): void {
    const { firstTokenMs, idleMs, totalMs } = this.req.timeouts;
    const total = this.started + totalMs;
    if (now >= total) return this.stop('total');
    let next: number;
    if (this.firstByteAt === null) {
      const firstToken = this.started + firstTokenMs;
      if (now >= firstToken) return this.stop('first-token');
      // Looked at again at least every idleMs, so the first chunk never needs the timer earlier.
      next = Math.min(firstToken, now + idleMs);
    } else {
      const idle = this.lastChunkAt + idleMs;
      if (now >= idle) return this.stop('idle');
      next = idle;
    }
    this.timer = setTimeout(() => this.arm(performance.now()), Math.min(next, total) - now);
  }

  private readonly onClientGone = (): void => this.stop(null);

  /** A limit ran out (phase) or the client left (null): abort upstream and fail the call. */
  private stop(phase: TimedPhase | null): void {
    if (this.stopped) return;
    this.timedOut = phase;
    this.fail(this.failure(null));
  }

  /** Ends the call with `err`: aborts the upstream request and rejects whoever waits. */
  private fail(err: Error): void {
    this.stopped = true;
    this.ended = err;
    this.clear();
    this.abort?.(stoppedHere());
    this.settleHead();
    this.finish();
  }

  /** Rejects the wait for the head with the end's error, if the head never came. */
  private settleHead(): void {
    if (!this.head || !this.ended) return;
    const { reject } = this.head;
    this.head = null;
    reject(this.ended);
  }

  /** Tells the body's reader how it ended (once the reader is there). */
  private finish(): void {
    const reader = this.reader;
    if (!reader || this.ended === null) return;
    this.reader = null;
    this.sink = null;
    if (this.ended) reader.reject(this.ended);
    else reader.resolve();
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.req.client.unwatch(this.onClientGone);
  }

  private failure(err: unknown): Error {
    if (this.req.client.gone) return new ClientGone();
    const timedOut = this.timedOut;
    if (timedOut) return new AttemptError({ kind: 'timeout', phase: timedOut }, `upstream timed out (${timedOut === 'first-token' ? 'no first token' : timedOut === 'idle' ? 'silent between chunks' : 'total time'})`);
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    if (this.firstByteAt !== null) return new AttemptError({ kind: 'mid-stream-error' }, `upstream stream broke: ${message}`);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new AttemptError({ kind: 'timeout', phase: 'connect' }, 'upstream connect timed out');
    if (code && CONNECT_CODES.has(code)) return new AttemptError({ kind: 'connect-error' }, `upstream unreachable (${code})`);
    return new AttemptError({ kind: 'connect-error' }, `upstream request failed: ${message}`);
  }
}
