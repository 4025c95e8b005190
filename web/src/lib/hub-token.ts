import { isApiError } from './api/errors.js';

/**
 * Whether a failed hub call is a gated or private repo the server has no (valid) token for:
 * the server answers 403 with `details.cause` "gated" or "unauthorized" (services/downloads.ts).
 */
export function needsHubToken(error: unknown): boolean {
  if (!isApiError(error, 'forbidden')) return false;
  const details = error.details;
  if (details === null || typeof details !== 'object') return false;
  const cause = (details as Record<string, unknown>).cause;
  return cause === 'gated' || cause === 'unauthorized';
}
