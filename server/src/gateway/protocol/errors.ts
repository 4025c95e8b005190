// One internal error, two envelopes: OpenAI's `{error:{message,type,param,code}}` and Anthropic's
// `{type:"error",error:{type,message}}`, before the stream began (a JSON body with the status) and
// after (a final SSE frame). See docs/gateway-protocols.md ("Errors").
import { anthropicEventFrame } from './anthropic/sse.js';
import type { AnthropicErrorBody } from './anthropic/types.js';
import { openAiDataFrame } from './openai/sse.js';
import type { OpenAiErrorBody } from './openai/types.js';

export interface GatewayFailure {
  status: number;
  message: string;
  /** Machine-readable reason (`model_not_found`, `upstream_timeout`…), null when there is none. */
  code: string | null;
  /** Who made it: the gateway itself, or the upstream whose answer is relayed. */
  source: 'gateway' | 'upstream';
  /** The request field at fault (OpenAI's `param`). */
  param?: string | null;
  /** An upstream's own error type, kept when the client's protocol knows it. */
  type?: string;
}

const OPENAI_TYPES = new Set([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'rate_limit_error',
  'server_error',
  'insufficient_quota',
  'unavailable_error',
]);

const ANTHROPIC_TYPES = new Set([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
]);

/** OpenAI's error `type` for a status. */
export function openAiErrorTypeFor(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Anthropic's error `type` for a status. */
export function anthropicErrorTypeFor(status: number): string {
  const byStatus: Record<number, string> = {
    401: 'authentication_error',
    402: 'billing_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    504: 'timeout_error',
    529: 'overloaded_error',
  };
  return byStatus[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function openAiErrorBody(failure: GatewayFailure): OpenAiErrorBody {
  const type = failure.type !== undefined && OPENAI_TYPES.has(failure.type) ? failure.type : openAiErrorTypeFor(failure.status);
  return { error: { message: failure.message, type, param: failure.param ?? null, code: failure.code, source: failure.source } };
}

export function anthropicErrorBody(failure: GatewayFailure): AnthropicErrorBody {
  const type = failure.type !== undefined && ANTHROPIC_TYPES.has(failure.type) ? failure.type : anthropicErrorTypeFor(failure.status);
  return { type: 'error', error: { type, message: failure.message, source: failure.source } };
}

/** The last frame of an OpenAI stream that failed after it began; close the response after it (no `[DONE]`). */
export const openAiStreamErrorFrame = (failure: GatewayFailure): string => openAiDataFrame(openAiErrorBody(failure));

/** The last frame of an Anthropic stream that failed after it began: `event: error`. */
export const anthropicStreamErrorFrame = (failure: GatewayFailure): string => anthropicEventFrame(anthropicErrorBody(failure));

/** A request the converters cannot express in the other protocol: the client gets a 400 naming the field. */
export class ConversionError extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    /** `invalid_request` when the body is malformed, `unsupported_by_upstream` when it is fine but the backend cannot take it. */
    readonly code: 'invalid_request' | 'unsupported_by_upstream' = 'unsupported_by_upstream',
  ) {
    super(message);
    this.name = 'ConversionError';
  }

  toFailure(): GatewayFailure {
    return { status: 400, message: this.message, code: this.code, source: 'gateway', param: this.param };
  }
}

/** The converters read what they convert: a malformed body stops here as a 400, never as a crash. */
export function assertValid<T>(result: { ok: true; value: T } | { ok: false; failure: GatewayFailure }): T {
  if (!result.ok) throw new ConversionError(result.failure.message, result.failure.param ?? null, 'invalid_request');
  return result.value;
}
