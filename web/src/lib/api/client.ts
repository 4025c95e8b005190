import type { z } from 'zod';
import { ApiClientError, INVALID_RESPONSE, NETWORK_ERROR, errorFromResponse } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions<T> {
  /** JSON body (serialised here; never pass a string). */
  body?: unknown;
  /** Query parameters; `undefined`/`null` values are left out. */
  query?: Record<string, QueryValue>;
  /** Schema of a successful answer: the result is validated and typed by it. */
  response?: z.ZodType<T>;
  /**
   * Whether a 401 means "the session is gone" and should send the user to the login page.
   * False for calls whose 401 is an answer to show (the login form) or handled by the caller
   * (the session probe), so a wrong password is never swallowed by a redirect.
   */
  redirectOn401?: boolean;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  /** Origin prefix; empty in the browser (same origin), a loopback URL in tests. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** Called once per protected call that answers 401, before its error is thrown. */
  onUnauthenticated?: (error: ApiClientError) => void;
}

export interface ApiClient {
  request<T>(method: HttpMethod, path: string, options: RequestOptions<T> & { response: z.ZodType<T> }): Promise<T>;
  request(method: HttpMethod, path: string, options?: RequestOptions<unknown>): Promise<void>;
}

function buildUrl(baseUrl: string, path: string, query: Record<string, QueryValue> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const suffix = search.size > 0 ? `?${search.toString()}` : '';
  return `${baseUrl}${path}${suffix}`;
}

/**
 * The web app's one HTTP client: every call to the server goes through `request`.
 * Authentication rides on the httpOnly session cookie the server sets at login, so the
 * browser never holds the token in script-readable storage.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<T>(method: HttpMethod, path: string, opts: RequestOptions<T> = {}): Promise<T | void> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (opts.signal) init.signal = opts.signal;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }

    let response: Response;
    try {
      response = await doFetch(buildUrl(baseUrl, path, opts.query), init);
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiClientError(0, NETWORK_ERROR, 'Cannot reach the MLX Manager server. Is it running?');
    }

    const text = await response.text();
    if (!response.ok) {
      const error = errorFromResponse(response.status, response.statusText, text);
      if (response.status === 401 && opts.redirectOn401 !== false) options.onUnauthenticated?.(error);
      throw error;
    }
    if (!opts.response) return;

    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiClientError(response.status, INVALID_RESPONSE, 'The server sent an answer that is not JSON.');
    }
    const parsed = opts.response.safeParse(json);
    if (!parsed.success) {
      throw new ApiClientError(response.status, INVALID_RESPONSE, 'The server sent an answer of an unexpected shape.', {}, parsed.error.issues);
    }
    return parsed.data;
  }

  return { request: request as ApiClient['request'] };
}
