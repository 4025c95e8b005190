import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { errorBody, type ClientFailure } from '../dispatch/envelope.js';
import type { WireProtocol } from '../upstreams/backend.js';

/**
 * How the gateway answers one client request, whichever way the request came in: through
 * Fastify's routes (tests' inject, the web app's cookie requests) or straight from Node's server
 * (direct-entry.ts). A whole answer goes through `send`; a stream writes `raw` itself after
 * `takeOver`.
 */
export interface GatewayReply {
  readonly raw: ServerResponse;
  /** A whole JSON answer; a string body is taken as JSON text already serialised. */
  send(status: number, body: unknown, headers?: Readonly<Record<string, string>>): void;
  /** From now on the raw response is written directly (a stream's head is about to go out). */
  takeOver(): void;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Over Fastify's reply: its onSend hooks (security headers, cookies) run as for any route. */
export function fastifyGatewayReply(reply: FastifyReply): GatewayReply {
  return {
    raw: reply.raw,
    send(status, body, headers) {
      void reply.code(status);
      if (headers) void reply.headers(headers);
      if (typeof body === 'string') void reply.header('content-type', JSON_TYPE);
      void reply.send(body);
    },
    takeOver() {
      if (!reply.sent) reply.hijack();
    },
  };
}

/**
 * Replies over Node's response, with `baseHeaders` (the security headers every answer of the app
 * carries) on each whole answer, as Fastify's onSend hook adds them on the other path.
 */
export function rawGatewayReplies(baseHeaders: Readonly<OutgoingHttpHeaders>): (res: ServerResponse) => GatewayReply {
  // The head of the usual answer (no extra headers) as one list made once, its last value the
  // length: Node reads the list while writeHead runs and keeps nothing of it, so each answer only
  // sets that value instead of copying every header into a new object.
  const head: (string | number)[] = [];
  for (const [name, value] of Object.entries(baseHeaders)) {
    if (Array.isArray(value)) for (const one of value) head.push(name, one);
    else if (value !== undefined) head.push(name, value);
  }
  head.push('content-type', JSON_TYPE, 'content-length', 0);
  const lengthAt = head.length - 1;
  return (res) => ({
    raw: res,
    send(status, body, headers) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const length = Buffer.byteLength(text);
      if (headers === undefined) {
        head[lengthAt] = length;
        res.writeHead(status, head as string[]);
      } else {
        res.writeHead(status, { ...baseHeaders, ...headers, 'content-type': JSON_TYPE, 'content-length': length });
      }
      res.end(text);
    },
    takeOver() {},
  });
}

/** A failure as a whole answer in the client's protocol, with its Retry-After hint when it has one. */
export function sendFailure(reply: GatewayReply, protocol: WireProtocol, f: ClientFailure, headers?: Readonly<Record<string, string>>): void {
  const retry = f.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(f.retryAfterSeconds) };
  reply.send(f.status, errorBody(protocol, f), { ...headers, ...retry });
}
