import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { parse as secureJsonParse } from 'secure-json-parse';
import type { DispatchContext } from '../dispatch/run.js';
import { clientProtocol, ENDPOINT_PATHS, type ClientEndpoint } from '../upstreams/backend.js';
import { presenceOf, serveInference } from './inference.js';
import { rawGatewayReplies, sendFailure } from './reply.js';

/*
 * The inference requests API-key clients send — POST, a JSON body, no cookie — answered straight
 * from Node's HTTP server, before Fastify. They are the gateway's hot path, and Fastify's request
 * pipeline (routing, request and reply objects, hooks, a child logger) is work they do not need;
 * how much it saves is in docs/gateway-data-plane.md. What that pipeline does for
 * these requests is done here the same way: the body limit, JSON parsing that refuses prototype
 * poisoning, errors in the endpoint's shape, the security headers, the request log lines.
 * Anything else (a cookie, so the same-origin check applies; another content type, method or
 * path) goes on to Fastify, whose routes call the same `serveInference`.
 */

const ENDPOINT_BY_PATH: ReadonlyMap<string, ClientEndpoint> = new Map(Object.entries(ENDPOINT_PATHS).map(([endpoint, path]) => [path, endpoint as ClientEndpoint]));

/** Same as Fastify's default parser: `__proto__` and `constructor.prototype` keys are refused. */
const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;

/** Log levels at which Fastify writes its per-request lines. */
const LOGS_REQUESTS: ReadonlySet<string> = new Set(['trace', 'debug', 'info']);

export interface DirectEntryOptions {
  context: DispatchContext;
  bodyLimit: number;
  /** Headers every whole answer carries (the app's security headers). */
  baseHeaders: Readonly<OutgoingHttpHeaders>;
  log: FastifyBaseLogger;
}

/** Pure: the endpoint a request may be answered on directly, or null to leave it to Fastify. */
export function directEndpoint(method: string | undefined, url: string | undefined, headers: IncomingMessage['headers']): ClientEndpoint | null {
  if (method !== 'POST' || url === undefined || headers.cookie !== undefined) return null;
  const query = url.indexOf('?');
  const endpoint = ENDPOINT_BY_PATH.get(query < 0 ? url : url.slice(0, query));
  if (endpoint === undefined) return null;
  const type = headers['content-type'];
  if (type === undefined) return null;
  const semicolon = type.indexOf(';');
  return (semicolon < 0 ? type : type.slice(0, semicolon)).trim().toLowerCase() === 'application/json' ? endpoint : null;
}

/** Returns the first look at each request: true when it took the request, false to pass it on. */
export function directEntry(options: DirectEntryOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { context, bodyLimit, baseHeaders, log } = options;
  const replyTo = rawGatewayReplies(baseHeaders);
  let requests = 0;

  /** The same envelope Fastify's error handler gives these failures on the other path. */
  function refuse(res: ServerResponse, endpoint: ClientEndpoint, status: number, code: string, message: string, headers?: Record<string, string>): void {
    sendFailure(replyTo(res), clientProtocol(endpoint), { status, message, code, source: 'gateway' }, headers);
  }

  async function serve(req: IncomingMessage, res: ServerResponse, endpoint: ClientEndpoint, text: string): Promise<void> {
    if (text.length === 0) return refuse(res, endpoint, 400, 'malformed_json', 'Request body is empty but declared as JSON');
    let body: unknown;
    try {
      body = secureJsonParse(text, undefined, PARSE_OPTIONS);
    } catch {
      return refuse(res, endpoint, 400, 'malformed_json', 'Request body is not valid JSON');
    }
    const reply = replyTo(res);
    await serveInference(context, { endpoint, body, headers: req.headers, socket: req.socket, client: presenceOf(res) }, reply);
  }

  function logged(req: IncomingMessage, res: ServerResponse): void {
    // Fastify's two lines, with an id of this entry's own (the pretty log joins them by id).
    const reqLog = log.child({ reqId: `v1-${(++requests).toString(36)}` });
    const started = performance.now();
    // Shaped as Fastify's `req` serializer reads a request (its `host`, `ip` and socket port).
    const fields = { method: req.method, url: req.url, host: req.headers.host, ip: req.socket.remoteAddress, socket: { remotePort: req.socket.remotePort } };
    reqLog.info({ req: fields }, 'incoming request');
    res.once('close', () => {
      const responseTime = performance.now() - started;
      // A client that left before its answer was sent has no status to report.
      if (res.writableFinished) reqLog.info({ res: { statusCode: res.statusCode }, responseTime }, 'request completed');
      else reqLog.info({ responseTime }, 'request aborted by the client');
    });
  }

  return (req, res) => {
    const endpoint = directEndpoint(req.method, req.url, req.headers);
    if (endpoint === null) return false;
    if (LOGS_REQUESTS.has(log.level)) logged(req, res);
    const declared = Number(req.headers['content-length']);
    if (declared > bodyLimit) {
      req.resume();
      refuse(res, endpoint, 413, 'payload_too_large', 'Request body is too large', { connection: 'close' });
      return true;
    }
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= bodyLimit) parts.push(chunk);
      else {
        req.off('data', onData);
        req.off('end', onEnd);
        req.resume();
        refuse(res, endpoint, 413, 'payload_too_large', 'Request body is too large', { connection: 'close' });
      }
    };
    const onEnd = () => {
      const text = parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts).toString('utf8');
      serve(req, res, endpoint, text).catch((err: unknown) => {
        log.error({ err }, 'request failed');
        if (!res.headersSent) refuse(res, endpoint, 500, 'internal_error', 'Internal server error');
        else if (!res.writableEnded) res.destroy();
      });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    return true;
  };
}
