/*
 * Error bodies of the gateway (`/v1/*`) in the shapes the official SDKs parse
 * (reference/protocols.md §6 and §7.4). Errors the gateway makes carry `source: "gateway"`;
 * relayed upstream errors keep their own body.
 */

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null; source: 'gateway' };
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string; source: 'gateway' };
}

/** Pure: OpenAI's `type` for a status. */
export function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function openAiError(status: number, message: string, code: string | null = null, param: string | null = null): OpenAiErrorBody {
  return { error: { message, type: openAiErrorType(status), param, code, source: 'gateway' } };
}

/** Pure: Anthropic's `error.type` for a status. */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export function anthropicError(status: number, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(status), message, source: 'gateway' } };
}

/** Pure: which error shape a request path answers in (`api` = the management envelope). */
export function errorShapeForPath(url: string): 'openai' | 'anthropic' | 'api' {
  const path = url.split('?', 1)[0] ?? '';
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if (path === '/v1' || path.startsWith('/v1/')) return 'openai';
  return 'api';
}
