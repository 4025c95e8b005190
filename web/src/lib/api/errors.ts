import { ApiError, FieldIssue } from '@mlx-manager/contract';

/** Codes the client itself produces, next to the server's catalogue (`ErrorCode`). */
export const NETWORK_ERROR = 'network_error';
export const INVALID_RESPONSE = 'invalid_response';

/** Any failed API call: the server's `{error:{code,message,details}}` envelope, typed. */
export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';

  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    /** Machine-readable code (`ErrorCode` from the contract, or one of the client's own). */
    readonly code: string,
    message: string,
    /** Per-field messages of a validation error, keyed by field name. */
    readonly fields: Readonly<Record<string, string>> = {},
    readonly details: unknown = undefined,
  ) {
    super(message);
  }

  /** The message for one form field, if the server named it. */
  field(name: string): string | undefined {
    return this.fields[name];
  }
}

const FieldIssues = FieldIssue.array();

/** Field issues come either as the details array itself or under `details.fields`/`details.issues`. */
function fieldsOf(details: unknown): Record<string, string> {
  const candidates: unknown[] = [details];
  if (details !== null && typeof details === 'object' && !Array.isArray(details)) {
    const record = details as Record<string, unknown>;
    candidates.push(record.fields, record.issues);
  }
  for (const candidate of candidates) {
    const parsed = FieldIssues.safeParse(candidate);
    if (parsed.success && parsed.data.length > 0) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.data) fields[issue.field] ??= issue.message;
      return fields;
    }
  }
  return {};
}

const fallbackCodes: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
  502: 'upstream_error',
  503: 'unavailable',
};

/** Builds the error of a non-2xx answer from its (possibly non-JSON) body text. */
export function errorFromResponse(status: number, statusText: string, bodyText: string): ApiClientError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = undefined; // a proxy's HTML error page or an empty body: fall back to the status
  }
  const envelope = ApiError.safeParse(json);
  if (envelope.success) {
    const { code, message, details } = envelope.data.error;
    return new ApiClientError(status, code, message, fieldsOf(details), details);
  }
  const code = fallbackCodes[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
  const message = statusText.trim() || `Request failed with status ${status}`;
  return new ApiClientError(status, code, message);
}

/** Whether an unknown thrown value is an API error with this code. */
export function isApiError(error: unknown, code?: string): error is ApiClientError {
  return error instanceof ApiClientError && (code === undefined || error.code === code);
}

/** A user-facing sentence for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
