import type { FastifyReply, FastifyRequest } from 'fastify';
import { BASE_SECURITY_HEADERS } from './security-headers.js';

export const HEARTBEAT_MS = 15_000;

export interface SseStream {
  /** Writes one `event:`/`data:` frame; false once the client is gone. */
  send(event: string, data: unknown): boolean;
  /** Writes a comment line (ignored by clients; keeps proxies from timing out). */
  comment(text: string): boolean;
  /** Ends the response and runs the close callbacks (idempotent). */
  close(): void;
  /** Runs `fn` once when the stream ends, whichever side ends it. */
  onClose(fn: () => void): void;
  readonly closed: boolean;
}

/** Pure: one SSE frame. Multi-line data is split over several `data:` lines as the format requires. */
export function formatSseFrame(event: string, data: unknown): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const lines = text.split(/\r\n|\r|\n/).map((l) => `data: ${l}`);
  return `event: ${event.replace(/[\r\n]/g, '')}\n${lines.join('\n')}\n\n`;
}

/** SSE streams open in this process right now (the `/metrics` gauge of event-stream clients). */
let openStreams = 0;
export const openSseStreamCount = (): number => openStreams;

/**
 * Takes over the reply and opens an SSE stream on it, with heartbeat comments and cleanup
 * when the client disconnects. The caller must not use `reply` afterwards.
 */
export function openSse(request: FastifyRequest, reply: FastifyReply, heartbeatMs = HEARTBEAT_MS): SseStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...BASE_SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const callbacks: Array<() => void> = [];
  let closed = false;
  openStreams++;

  const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();

  function write(chunk: string): boolean {
    if (closed || res.destroyed) return false;
    res.write(chunk);
    return true;
  }

  function finish(): void {
    if (closed) return;
    closed = true;
    openStreams--;
    clearInterval(heartbeat);
    for (const fn of callbacks.splice(0)) {
      try {
        fn();
      } catch (err) {
        request.log.error({ err }, 'SSE close callback failed');
      }
    }
    if (!res.writableEnded) res.end();
  }

  request.raw.on('close', finish);
  res.on('close', finish);
  res.on('error', finish);
  write(': connected\n\n');

  return {
    send: (event, data) => write(formatSseFrame(event, data)),
    comment: (text) => write(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`),
    close: finish,
    onClose: (fn) => {
      if (closed) fn();
      else callbacks.push(fn);
    },
    get closed() {
      return closed;
    },
  };
}
