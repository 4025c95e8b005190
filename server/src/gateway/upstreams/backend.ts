import type { IncomingHttpHeaders } from 'node:http';
import type { AuditBackend } from '@mlx-manager/contract';
import type { Timeouts } from '../policy/timeouts.js';

/** The five POST endpoints of `/v1`, named by what the client asked for. */
export type ClientEndpoint = 'chat' | 'completions' | 'embeddings' | 'messages' | 'count_tokens';

/** The client-facing path of each endpoint (audit records name it). */
export const ENDPOINT_PATHS: Record<ClientEndpoint, string> = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  messages: '/v1/messages',
  count_tokens: '/v1/messages/count_tokens',
};

/** Which wire protocol a client endpoint speaks. */
export function clientProtocol(endpoint: ClientEndpoint): WireProtocol {
  return endpoint === 'messages' || endpoint === 'count_tokens' ? 'anthropic' : 'openai';
}

export type WireProtocol = 'openai' | 'anthropic';

/** Where one client endpoint goes on a backend: a path, and whether the body must be converted. */
export interface UpstreamRoute {
  path: string;
  protocol: WireProtocol;
  /** false: the backend speaks the client's protocol here and gets the request unchanged. */
  translate: boolean;
}

/**
 * One ready-to-call backend for one request: a local engine behind its lease, or a provider.
 * Built per attempt by the upstream adapters (upstreams/<kind>/), used by the dispatcher.
 */
export interface Backend {
  origin: string;
  /** The model name sent upstream. */
  model: string;
  audit: { backend: AuditBackend; targetId: string; name: string };
  /** Local profile id, for throughput measurement; null for providers. */
  profileId: string | null;
  /** The limits of a request, streamed or not (a whole answer's first byte comes at its end). */
  timeouts(streaming: boolean): Timeouts;
  /** Connect through the SSRF guard (providers); local engines are our own children on loopback. */
  guarded: boolean;
  /** null: this backend does not offer the endpoint. */
  route(endpoint: ClientEndpoint): UpstreamRoute | null;
  /** Request headers for the upstream (auth, versions); client headers are never copied wholesale. */
  headers(client: IncomingHttpHeaders, route: UpstreamRoute): Readonly<Record<string, string>>;
  /** The body as this backend wants it (model rewrite, engine quirks). Must not mutate its input. */
  prepareBody(body: Record<string, unknown>, route: UpstreamRoute): Record<string, unknown>;
  /** Ends the request's claim on the backend (a local lease); idempotent. */
  release(): void;
  /**
   * Rewrites an OpenAI answer or chunk this backend sends in its own dialect (mlx_lm.server's
   * `reasoning`) into the common one; null when its answers pass through byte for byte.
   */
  reshapeOpenAi: ((payload: Record<string, unknown>) => Record<string, unknown>) | null;
}

/** The OpenAI-side body tweaks every OpenAI-speaking backend shares: model name, usage in streams. */
export function openAiBody(body: Record<string, unknown>, model: string): Record<string, unknown> {
  // Nothing to change (the usual whole request to a backend of the same name): the body as it is.
  if (body.model === model && body.stream !== true) return body;
  const out: Record<string, unknown> = { ...body, model };
  // Usage arrives only when asked for; the audit log needs it for streamed answers too.
  if (out.stream === true) out.stream_options = { ...(isObject(out.stream_options) ? out.stream_options : {}), include_usage: true };
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Splits a configured base URL into the origin undici connects to and the path prefix it keeps. */
export function splitBaseUrl(baseUrl: string): { origin: string; prefix: string } {
  const url = new URL(baseUrl);
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}
