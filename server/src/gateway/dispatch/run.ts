import type { IncomingHttpHeaders } from 'node:http';
import type { AuditHop } from '@mlx-manager/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { buildConnector } from 'undici';
import { AppError } from '../../services/errors.js';
import { finalStatus, shouldFailover, type AttemptOutcome } from '../policy/failover.js';
import type { GatewayCaller, GatewayPorts, GatewayTarget, Resolution } from '../ports.js';
import { ANTHROPIC_PING_FRAME, ConversionError, SSE_COMMENT_PING_FRAME } from '../protocol/index.js';
import { sendFailure, type GatewayReply } from '../routes/reply.js';
import { clientProtocol, ENDPOINT_PATHS, type Backend, type ClientEndpoint, type WireProtocol } from '../upstreams/backend.js';
import { upstreamErrorMessage } from '../upstreams/error-text.js';
import { leasedBackend, providerBackend } from '../upstreams/index.js';
import type { UpstreamPools } from '../upstreams/pools.js';
import { ClientStream, type HeartbeatOptions } from './client-stream.js';
import { errorFrame, type ClientFailure } from './envelope.js';
import { eventsMarked, everyEvent } from './sse-reader.js';
import { reshaping } from './translate.js';
import type { RequestTranslation, SseEvent, Translator } from './translator.js';
import type { ClientPresence } from './client-presence.js';
import { AttemptError, callUpstream, ClientGone, type UpstreamResponse } from './upstream-call.js';
import { foldUsage, NO_USAGE, type TokenCounts } from './usage.js';

/** What the dispatcher needs for every request (built once per app). */
export interface DispatchContext {
  ports: GatewayPorts;
  pools: UpstreamPools;
  translator: Translator;
  /** The SSRF guard's connector for provider pools (with the pool's connect timeout). */
  guardedConnector: (connectTimeoutMs: number) => buildConnector.connector;
  heartbeat: HeartbeatOptions;
  /** Seconds a client is told to wait when a local model could not be acquired. */
  retryAfterSeconds: number;
  log: FastifyBaseLogger;
}

export interface InferenceRequest {
  endpoint: ClientEndpoint;
  /** Shape-checked by the route: `model` is a non-empty string. */
  body: Record<string, unknown> & { model: string };
  headers: IncomingHttpHeaders;
  caller: GatewayCaller;
  resolution: Resolution;
  /** Whether the client is still there (its leaving cancels the upstream request). */
  client: ClientPresence;
}

/** What the last attempt produced, for the audit record. */
interface Outcome {
  status: number;
  error: string | null;
  tokens: TokenCounts;
  ttftMs: number | null;
  /** From the first streamed byte to the end (decode time); null for whole answers. */
  generationMs: number | null;
}

/** A failed attempt with what the client would be told if it was the last. */
class Failed extends Error {
  constructor(
    readonly outcome: AttemptOutcome,
    readonly failure: ClientFailure,
  ) {
    super(failure.message);
  }
}

/**
 * The inference flow after auth and routing: try each target in order (a local profile through
 * its lease, or a provider), pass through or convert, relay the answer, fail over while the
 * client has seen nothing, and write one audit record. docs/gateway-data-plane.md tells the whole story.
 */
export async function dispatch(ctx: DispatchContext, req: InferenceRequest, reply: GatewayReply): Promise<void> {
  const started = Date.now();
  const protocol = clientProtocol(req.endpoint);
  const streaming = req.body.stream === true && (req.endpoint === 'chat' || req.endpoint === 'completions' || req.endpoint === 'messages');
  const client = new ClientStream(reply.raw, ctx.heartbeat, () => reply.takeOver(), protocol === 'anthropic' ? ANTHROPIC_PING_FRAME : SSE_COMMENT_PING_FRAME);
  if (streaming) client.armHeartbeat();

  const hops: AuditHop[] = [];
  let last: { backend: Backend | null; target: GatewayTarget; outcome: Outcome } | null = null;
  let failure: Failed | null = null;
  const targets = req.resolution.targets;
  try {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const hopStarted = Date.now();
      let backend: Backend | null = null;
      try {
        const opening = openBackend(ctx, target, req.client);
        backend = opening instanceof Promise ? await opening : opening;
        const outcome = await attempt(ctx, req, backend, protocol, streaming, client, reply);
        hops.push(hop(target, backend, outcome.status, outcome.error, hopStarted));
        last = { backend, target, outcome };
        failure = null;
        break;
      } catch (err) {
        if (err instanceof ClientGone || req.client.gone) throw new ClientGone();
        const failed = asFailed(err, ctx.log);
        hops.push(hop(target, backend, failed.outcome.kind === 'status' ? failed.outcome.status : null, failed.failure.message, hopStarted));
        last = { backend, target, outcome: { status: failed.failure.status, error: failed.failure.message, tokens: NO_USAGE, ttftMs: null, generationMs: null } };
        failure = failed;
        if (!shouldFailover(failed.outcome, client.sawContent, i < targets.length - 1)) break;
        ctx.log.info({ target: backend?.audit.name, reason: failed.failure.message }, 'gateway: failing over to the next target');
      } finally {
        backend?.release();
      }
    }
    if (failure) tellFailure(protocol, client, reply, failure);
  } catch (err) {
    client.stopHeartbeat();
    if (!(err instanceof ClientGone)) throw err;
    last = { backend: last?.backend ?? null, target: last?.target ?? targets[0]!, outcome: { status: 499, error: 'client disconnected', tokens: last?.outcome.tokens ?? NO_USAGE, ttftMs: last?.outcome.ttftMs ?? null, generationMs: null } };
    // Nobody is left to answer: take the response over and drop the connection.
    reply.takeOver();
    if (!reply.raw.writableEnded) reply.raw.destroy();
  }
  audit(ctx, req, started, hops, last);
}

/** A provider is ready at once (no promise); a local profile is acquired from the supervisor. */
function openBackend(ctx: DispatchContext, target: GatewayTarget, client: ClientPresence): Backend | Promise<Backend> {
  return target.kind === 'provider' ? providerBackend(target) : acquireBackend(ctx, target, client);
}

async function acquireBackend(ctx: DispatchContext, target: GatewayTarget & { kind: 'local' }, client: ClientPresence): Promise<Backend> {
  try {
    return leasedBackend(target, await ctx.ports.acquire(target.profileId, client.signal));
  } catch (err) {
    if (client.gone) throw new ClientGone();
    const message = err instanceof Error ? err.message : String(err);
    // The supervisor says when a retry may work; null: not by itself (fix the profile), no header.
    const hint = retryAfterOf(err);
    const retry = hint === undefined ? ctx.retryAfterSeconds : hint;
    throw new Failed({ kind: 'unavailable' }, {
      status: 503, message: `Model "${target.name}" is not available: ${message}`, code: 'model_unavailable', source: 'gateway',
      ...(retry === null ? {} : { retryAfterSeconds: retry }),
    });
  }
}

/** The Retry-After hint of an acquire failure: seconds, null (retrying will not help), or undefined (no hint). */
function retryAfterOf(err: unknown): number | null | undefined {
  if (!(err instanceof AppError)) return undefined;
  const seconds = (err.details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
  return typeof seconds === 'number' || seconds === null ? seconds : undefined;
}

function asFailed(err: unknown, log: FastifyBaseLogger): Failed {
  if (err instanceof Failed) return err;
  if (err instanceof AttemptError) {
    const status = finalStatus(err.outcome);
    const code = err.outcome.kind === 'timeout' ? 'upstream_timeout' : 'upstream_unreachable';
    return new Failed(err.outcome, { status, message: err.message, code, source: 'gateway' });
  }
  // An answer the converters could not read (or a bug): logged, told as a bad upstream answer,
  // and another target may still do better.
  log.error({ err }, 'gateway: could not relay an upstream answer');
  return new Failed({ kind: 'mid-stream-error' }, { status: 502, message: 'The backend answered something the gateway could not read', code: 'bad_upstream_response', source: 'gateway' });
}

/** One target, one try. Resolves with the outcome it relayed; throws Failed/AttemptError/ClientGone. */
async function attempt(
  ctx: DispatchContext,
  req: InferenceRequest,
  backend: Backend,
  protocol: WireProtocol,
  streaming: boolean,
  client: ClientStream,
  reply: GatewayReply,
): Promise<Outcome> {
  const route = backend.route(req.endpoint);
  if (!route) {
    if (req.endpoint === 'count_tokens') {
      reply.send(200, { input_tokens: ctx.translator.estimateTokens(req.body) });
      return { status: 200, error: null, tokens: NO_USAGE, ttftMs: null, generationMs: null };
    }
    throw new Failed({ kind: 'status', status: 501 }, { status: 501, message: `${backend.audit.name} does not serve this endpoint`, code: 'unsupported_endpoint', source: 'gateway' });
  }
  let translation: RequestTranslation | null = null;
  if (route.translate) {
    try {
      translation = ctx.translator.translate({
        endpoint: req.endpoint, body: req.body, route, upstreamModel: backend.model, clientModel: req.body.model,
        dialect: backend.audit.backend === 'openai' ? 'openai' : 'compatible',
      });
    } catch (err) {
      if (err instanceof ConversionError) throw new Failed({ kind: 'status', status: 400 }, err.toFailure());
      throw err;
    }
  }
  if (!translation && route.protocol === 'openai' && backend.reshapeOpenAi) translation = reshaping(req.body, backend.reshapeOpenAi);
  const body = backend.prepareBody(translation ? translation.body : req.body, route);
  const pool = ctx.pools.get(backend.origin, { connectTimeoutMs: backend.timeouts(streaming).connectMs, connector: backend.guarded ? ctx.guardedConnector : null });
  const up = await callUpstream(pool, {
    path: route.path, headers: backend.headers(req.headers, route), body: Buffer.from(JSON.stringify(body)), timeouts: backend.timeouts(streaming), client: req.client,
  });
  if (up.status >= 400) {
    const text = await up.text().catch(() => '');
    throw new Failed({ kind: 'status', status: up.status }, { status: up.status, message: upstreamErrorMessage(up.status, text), code: null, source: 'upstream' });
  }
  const outcome = streaming ? await relayStream(ctx, req, backend, route.protocol, protocol, translation, up, client) : await relayWhole(route.protocol, translation, up, reply);
  // Only streams show decode speed: a whole answer's first byte comes after the last token.
  if (backend.profileId && outcome.tokens.output && outcome.generationMs && outcome.status < 400) {
    ctx.ports.observeThroughput(backend.profileId, outcome.tokens.output, outcome.generationMs);
  }
  return outcome;
}

async function relayWhole(upstreamProtocol: WireProtocol, translation: RequestTranslation | null, up: UpstreamResponse, reply: GatewayReply): Promise<Outcome> {
  const text = await up.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new Failed({ kind: 'status', status: 502 }, { status: 502, message: 'upstream answered something that is not JSON', code: 'bad_upstream_response', source: 'gateway' });
  }
  const tokens = foldUsage(NO_USAGE, upstreamProtocol, parsed);
  reply.send(200, translation ? translation.response(parsed) : text);
  return { status: 200, error: null, tokens, ttftMs: up.firstByteMs(), generationMs: null };
}

async function relayStream(
  ctx: DispatchContext,
  req: InferenceRequest,
  backend: Backend,
  upstreamProtocol: WireProtocol,
  protocol: WireProtocol,
  translation: RequestTranslation | null,
  up: UpstreamResponse,
  client: ClientStream,
): Promise<Outcome> {
  let tokens = NO_USAGE;
  /** An error the upstream itself put in its stream (relayed or converted; recorded in the audit). */
  let inStreamError: string | null = null;
  const converter = translation?.stream() ?? null;
  const onEvent = (event: SseEvent) => {
    // Pass-through parses only the events that can carry usage or an error (the hot path).
    if (!converter && !worthReading(upstreamProtocol, event)) return;
    const payload = parseEvent(event);
    tokens = foldUsage(tokens, upstreamProtocol, payload);
    inStreamError ??= streamErrorOf(payload);
    if (converter && payload !== undefined) client.write(converter.push(payload));
  };
  // Pass-through relays the upstream's bytes as they are and reads along only the events that
  // may be worth it; a conversion reads every event.
  const reader = converter ? everyEvent(onEvent) : eventsMarked(WORTH_READING_MARKERS[upstreamProtocol], onEvent);
  try {
    await up.relay((chunk) => {
      if (!converter) client.write(chunk);
      reader.push(chunk);
    });
  } catch (err) {
    if (err instanceof ClientGone || !client.sawContent) throw err;
    // Content already reached the client: never replayed elsewhere, ended with an error event.
    const message = err instanceof Error ? err.message : String(err);
    ctx.log.warn({ target: backend.audit.name, reason: message }, 'gateway: stream failed after it began');
    client.end(errorFrame(protocol, { status: 502, message, code: 'upstream_stream_failed', source: 'upstream' }));
    return { status: 502, error: message, tokens, ttftMs: up.firstByteMs(), generationMs: null };
  }
  client.end(converter ? converter.end() : undefined);
  return { status: inStreamError ? 502 : 200, error: inStreamError, tokens, ttftMs: up.firstByteMs(), generationMs: up.sinceFirstByteMs() };
}

/** Pure: whether a relayed event may hold usage or an error (everything else is only relayed). */
function worthReading(protocol: WireProtocol, event: SseEvent): boolean {
  if (protocol === 'anthropic') return event.event === 'message_start' || event.event === 'message_delta' || event.event === 'error';
  return USAGE_OR_ERROR.test(event.data);
}

/** A usage object (not `"usage": null`) or an error key, whatever the upstream's JSON spacing. */
const USAGE_OR_ERROR = /"usage"\s*:\s*\{|"error"\s*:/;

/** Text that every event worthReading() keeps holds in its raw bytes (looked for before decoding anything). */
const WORTH_READING_MARKERS: Record<WireProtocol, readonly string[]> = {
  openai: ['"usage"', '"error"'],
  anthropic: ['message_start', 'message_delta', 'error'],
};

/** Pure: an event's JSON payload; undefined for `[DONE]` and anything that is not JSON. */
function parseEvent(event: SseEvent): unknown {
  if (event.data === '[DONE]') return undefined;
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    return undefined;
  }
}

/** Pure: the message of an error object sent inside a stream (both protocols put it under `error`). */
function streamErrorOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const error = (payload as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const message = (error as { message?: unknown }).message;
  return `upstream error in stream: ${typeof message === 'string' ? message : 'unknown'}`;
}

/** Every target failed: a status and an envelope, or an error event if the stream's head is out. */
function tellFailure(protocol: WireProtocol, client: ClientStream, reply: GatewayReply, failed: Failed): void {
  const f = failed.failure;
  if (client.committed) {
    client.end(errorFrame(protocol, f));
    return;
  }
  client.stopHeartbeat();
  sendFailure(reply, protocol, f);
}

function hop(target: GatewayTarget, backend: Backend | null, status: number | null, error: string | null, started: number): AuditHop {
  return {
    backend: backend?.audit.backend ?? (target.kind === 'local' ? 'local' : target.providerKind),
    target_id: target.kind === 'local' ? target.profileId : target.providerId,
    target_model: backend?.model ?? (target.kind === 'provider' ? target.model : null),
    status,
    error,
    duration_ms: Date.now() - started,
  };
}

function audit(ctx: DispatchContext, req: InferenceRequest, started: number, hops: AuditHop[], last: { backend: Backend | null; target: GatewayTarget; outcome: Outcome } | null): void {
  const lastHop = hops.at(-1);
  ctx.ports.record({
    time: started,
    user_id: req.caller.userId,
    api_key_id: req.caller.keyId,
    endpoint: ENDPOINT_PATHS[req.endpoint],
    requested_model: req.body.model,
    rule_id: req.resolution.ruleId,
    backend: lastHop?.backend ?? null,
    target_id: lastHop?.target_id ?? null,
    target_model: lastHop?.target_model ?? null,
    status: last?.outcome.status ?? 500,
    duration_ms: Date.now() - started,
    ttft_ms: last?.outcome.ttftMs ?? null,
    tokens_in: last?.outcome.tokens.input ?? null,
    tokens_out: last?.outcome.tokens.output ?? null,
    hops,
    error: last?.outcome.error ?? null,
  });
}
