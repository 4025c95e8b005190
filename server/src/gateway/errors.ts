/*
 * Error bodies the gateway (`/v1/*`) makes itself, in the shapes the official SDKs parse; the
 * envelopes are built in protocol/errors.ts (docs/gateway-protocols.md, "Errors"). Relayed
 * upstream errors are marked `source: "upstream"` there.
 */
import {
  anthropicErrorBody,
  anthropicErrorTypeFor,
  openAiErrorBody,
  openAiErrorTypeFor,
} from './protocol/errors.js';
import type { AnthropicErrorBody } from './protocol/anthropic/types.js';
import type { OpenAiErrorBody } from './protocol/openai/types.js';

export type { AnthropicErrorBody, OpenAiErrorBody };

/** Pure: OpenAI's `type` for a status. */
export const openAiErrorType = openAiErrorTypeFor;

export function openAiError(status: number, message: string, code: string | null = null, param: string | null = null): OpenAiErrorBody {
  return openAiErrorBody({ status, message, code, param, source: 'gateway' });
}

/** Pure: Anthropic's `error.type` for a status. */
export const anthropicErrorType = anthropicErrorTypeFor;

export function anthropicError(status: number, message: string): AnthropicErrorBody {
  return anthropicErrorBody({ status, message, code: null, source: 'gateway' });
}

/** Pure: which error shape a request path answers in (`api` = the management envelope). */
export function errorShapeForPath(url: string): 'openai' | 'anthropic' | 'api' {
  const path = url.split('?', 1)[0] ?? '';
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if (path === '/v1' || path.startsWith('/v1/')) return 'openai';
  return 'api';
}
