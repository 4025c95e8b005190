import type { ApiError, ErrorCode, FieldIssue } from '@mlx-manager/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { anthropicError, errorShapeForPath, openAiError } from '../gateway/errors.js';
import { AppError } from '../services/errors.js';

/** The HTTP status of each error code (one table for the whole API). */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_pending: 403,
  account_disabled: 403,
  forbidden: 403,
  registration_closed: 403,
  cross_origin: 403,
  method_not_allowed: 405,
  request_timeout: 408,
  headers_too_large: 431,
  not_found: 404,
  conflict: 409,
  last_admin: 409,
  rate_limited: 429,
  upstream_error: 502,
  unavailable: 503,
  internal_error: 500,
};

/** An error a route throws with an explicit status; rendered in the path's error shape. */
export class ApiHttpError extends AppError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
    this.name = 'ApiHttpError';
  }
}

interface Normalised {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

/** Pure: zod issues → `[{field, message}]` with dotted paths (`body` for the whole body). */
export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return { field: issue.keys.join(', '), message: 'unknown field' };
    return { field: path === '' ? 'body' : path, message: issue.message };
  });
}

export function validationError(error: ZodError, where = 'body'): ApiHttpError {
  const details = fieldIssues(error).map((d) => ({ ...d, field: d.field === 'body' ? where : d.field }));
  const first = details[0];
  const summary = first ? `${first.field}: ${first.message}` : 'invalid input';
  return new ApiHttpError(400, 'validation_failed', `Invalid ${where}: ${summary}`, details);
}

const FASTIFY_CODES: Record<string, Omit<Normalised, 'message'> & { message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'Request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'Request body is empty but declared as JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Unsupported content type; send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request', message: 'Content-Length does not match the body' },
};

/** Pure: any thrown value → status, code and a message safe to show. */
export function normaliseError(err: unknown): Normalised {
  if (err instanceof ApiHttpError) return { status: err.status, code: err.code, message: err.message, details: err.details };
  if (err instanceof AppError) {
    const headers = retryAfterHeader(err.details);
    return { status: STATUS_BY_CODE[err.code], code: err.code, message: err.message, details: err.details, ...(headers ? { headers } : {}) };
  }
  if (err instanceof ZodError) {
    const e = validationError(err);
    return { status: 400, code: 'validation_failed', message: e.message, details: e.details };
  }
  const fe = err as Partial<FastifyError>;
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return { ...known, message: known.message ?? fe.message ?? 'Bad request' };
  if (fe.code === 'FST_ERR_VALIDATION') {
    return { status: 400, code: 'validation_failed', message: fe.message ?? 'Invalid request', details: fe.validation };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) return { status, code: CODE_BY_STATUS[status] ?? 'bad_request', message: fe.message ?? 'Bad request' };
  return { status: 500, code: 'internal_error', message: 'Internal server error' };
}

/** The code of a 4xx thrown by Fastify or a plugin with only a status (a 403 must not say bad_request). */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
};

function retryAfterHeader(details: unknown): Record<string, string> | undefined {
  const seconds = (details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
  return typeof seconds === 'number' ? { 'retry-after': String(seconds) } : undefined;
}

/** Writes an error in the shape of the request's path: OpenAI, Anthropic or the /api envelope. */
export function sendError(request: FastifyRequest, reply: FastifyReply, n: Normalised): FastifyReply {
  if (n.headers) void reply.headers(n.headers);
  reply.code(n.status);
  switch (errorShapeForPath(request.url)) {
    case 'openai':
      // OpenAI's SDKs and docs use `invalid_api_key` for a missing or wrong key.
      return reply.send(openAiError(n.status, n.message, n.code === 'unauthenticated' ? 'invalid_api_key' : n.code));
    case 'anthropic':
      return reply.send(anthropicError(n.status, n.message));
    default: {
      const body: ApiError = { error: { code: n.code, message: n.message, ...(n.details !== undefined ? { details: n.details } : {}) } };
      return reply.send(body);
    }
  }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const n = normaliseError(err);
    if (n.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.debug({ code: n.code }, n.message);
    if (reply.sent || reply.raw.headersSent) return; // a streaming response already began: nothing sane to add
    return sendError(request, reply, n);
  });
}
