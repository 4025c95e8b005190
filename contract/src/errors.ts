import { z } from 'zod';

/** Every machine-readable error code the management API can answer with (one catalogue). */
export const ErrorCode = z.enum([
  'bad_request',
  'validation_failed',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthenticated',
  'invalid_credentials',
  'account_pending',
  'account_disabled',
  'forbidden',
  'registration_closed',
  'cross_origin',
  'method_not_allowed',
  'request_timeout',
  'headers_too_large',
  'not_found',
  'conflict',
  'last_admin',
  'rate_limited',
  'upstream_error',
  'unavailable',
  'internal_error',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The one envelope of `/api/*` errors: `{error:{code,message,details?}}`. */
export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

/** One offending field in a validation error's `details`. */
export const FieldIssue = z.object({ field: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;
