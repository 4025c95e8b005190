import type { FastifyPluginAsync } from 'fastify';
import { authenticateCaller, GatewayAuthError, type CallerRequest } from '../auth.js';
import { ClientPresence } from '../dispatch/client-presence.js';
import type { ClientFailure } from '../dispatch/envelope.js';
import { dispatch, type DispatchContext } from '../dispatch/run.js';
import { clientProtocol, ENDPOINT_PATHS, type ClientEndpoint } from '../upstreams/backend.js';
import type { AuditEntry, GatewayCaller } from '../ports.js';
import { fastifyGatewayReply, sendFailure, type GatewayReply } from './reply.js';
import { checkShape } from './request-shape.js';

function fail(reply: GatewayReply, endpoint: ClientEndpoint, f: ClientFailure): void {
  sendFailure(reply, clientProtocol(endpoint), f);
}

/** The audit entry of a request that reached no backend. */
function unroutedEntry(endpoint: ClientEndpoint, model: string, caller: GatewayCaller, ruleId: string | null, f: ClientFailure): AuditEntry {
  return {
    time: new Date(), user_id: caller.userId, api_key_id: caller.keyId, endpoint: ENDPOINT_PATHS[endpoint], requested_model: model,
    rule_id: ruleId, backend: null, target_id: null, target_model: null, status: f.status, duration_ms: 0, ttft_ms: null, tokens_in: null, tokens_out: null,
    hops: [], error: f.message,
  };
}

/**
 * Left when the client goes away before its answer ended (the upstream request is cancelled). The
 * response's 'close' comes when the connection closes, whether the answer had begun or not; a
 * closed connection is the only way a client can leave once its body was read.
 */
export function presenceOf(response: { once(event: 'close', listener: () => void): unknown; readonly writableFinished: boolean }): ClientPresence {
  const presence = new ClientPresence();
  response.once('close', () => {
    if (!response.writableFinished) presence.leave();
  });
  return presence;
}

/** One inference request with its body read and parsed, however it came in. */
export interface InferenceCall extends CallerRequest {
  endpoint: ClientEndpoint;
  body: unknown;
  client: ClientPresence;
}

/**
 * `POST /v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/messages` and
 * `/v1/messages/count_tokens`: authenticate, check the body's shape, resolve the model, dispatch.
 * Errors are in OpenAI's shape on OpenAI paths and Anthropic's on `/v1/messages*`.
 */
export async function serveInference(context: DispatchContext, call: InferenceCall, reply: GatewayReply): Promise<void> {
  const { endpoint } = call;
  let caller: GatewayCaller;
  try {
    // Ports answer at once when they can: no await (a microtask turn) for what is at hand.
    const authenticated = authenticateCaller(context.ports, call);
    caller = authenticated instanceof Promise ? await authenticated : authenticated;
  } catch (err) {
    if (err instanceof GatewayAuthError) return fail(reply, endpoint, { status: 401, message: err.message, code: 'invalid_api_key', source: 'gateway' });
    throw err;
  }
  const shape = checkShape(endpoint, call.body);
  if (!shape.ok) return fail(reply, endpoint, { status: 400, message: shape.message, code: 'invalid_request', param: shape.param, source: 'gateway' });
  const resolving = context.ports.resolve(shape.body.model);
  const resolution = resolving instanceof Promise ? await resolving : resolving;
  if (!resolution || resolution.targets.length === 0) {
    // Recorded too: which names clients ask for that lead nowhere is worth seeing in the log.
    const f: ClientFailure = resolution
      ? { status: 503, message: `Every target routed for "${shape.body.model}" is gone (deleted profile or provider)`, code: 'no_target', source: 'gateway' }
      : { status: 404, message: `The model "${shape.body.model}" does not exist here (GET /v1/models lists the names)`, code: 'model_not_found', param: 'model', source: 'gateway' };
    context.ports.record(unroutedEntry(endpoint, shape.body.model, caller, resolution?.ruleId ?? null, f));
    return fail(reply, endpoint, f);
  }
  await dispatch(context, { endpoint, body: shape.body, headers: call.headers, caller, resolution, client: call.client }, reply);
}

/**
 * The inference endpoints as Fastify routes: what tests inject and what the web app's cookie
 * requests take (the same-origin check runs first). API-key clients usually come in through
 * direct-entry.ts, which calls the same `serveInference`.
 */
export const inferenceRoutes: FastifyPluginAsync<{ context: DispatchContext; bodyLimit: number }> = async (app, { context, bodyLimit }) => {
  for (const endpoint of Object.keys(ENDPOINT_PATHS) as ClientEndpoint[]) {
    app.post(ENDPOINT_PATHS[endpoint], { bodyLimit }, async (request, reply) => {
      const call: InferenceCall = { endpoint, body: request.body, headers: request.headers, cookies: request.cookies, socket: request.socket, client: presenceOf(reply.raw) };
      await serveInference(context, call, fastifyGatewayReply(reply));
      return reply;
    });
  }
};
