// Why the gateway could not get a local engine for a request, in the terms it answers with: a
// reason, and when a retry may succeed (the `Retry-After` of a 503). Pure mapping from the
// supervisor's failures; engines/DESIGN.md ("Leases") says what each reason means. It is an
// AppError (`unavailable`, or `not_found` for an unknown profile) whose details carry
// `reason` and `retry_after_seconds`, so any error renderer shows it correctly. Never the engine's
// log lines: the gateway's callers are not necessarily the profile's admins.
import { AcquireError, StartError, type StartFailure } from '../engines/supervisor.js';
import { AppError } from './errors.js';

export type LeaseFailure = 'not_found' | 'engine_not_found' | 'start_failed' | 'timeout' | 'queue_full' | 'aborted';

export class LeaseError extends AppError {
  constructor(
    message: string,
    readonly reason: LeaseFailure,
    /** Seconds after which trying again may work; null when it will not by itself (fix the profile). */
    readonly retryAfterSeconds: number | null,
    /** The start failure's own reason, when a start failed. */
    readonly startReason: StartFailure | null = null,
  ) {
    super(reason === 'not_found' ? 'not_found' : 'unavailable', message, {
      reason,
      retry_after_seconds: retryAfterSeconds,
      ...(startReason ? { start_reason: startReason } : {}),
    });
    this.name = 'LeaseError';
  }
}

/** Seconds suggested in `Retry-After` per reason. */
export const RETRY_AFTER_SECONDS = { queue_full: 1, timeout: 5, start_failed: 10, cancelled: 2 } as const;

/** Any failure of servers.acquire → a LeaseError (errors it does not know are returned as is). */
export function toLeaseError(err: unknown): unknown {
  if (err instanceof LeaseError) return err;
  if (err instanceof AcquireError) {
    const retry = err.reason === 'aborted' ? null : RETRY_AFTER_SECONDS[err.reason];
    return new LeaseError(err.message, err.reason, retry);
  }
  if (err instanceof StartError) {
    if (err.reason === 'engine_not_found') return new LeaseError(err.message, 'engine_not_found', null, err.reason);
    // Cancelled: stopped by an admin or the manager shutting down while this request waited.
    const retry = err.reason === 'cancelled' ? RETRY_AFTER_SECONDS.cancelled : RETRY_AFTER_SECONDS.start_failed;
    return new LeaseError(err.message, 'start_failed', retry, err.reason);
  }
  if (err instanceof AppError && err.code === 'not_found') return new LeaseError(err.message, 'not_found', null);
  // A stored model that fails today's rules, or a GGUF repo whose file is not downloaded: the start
  // cannot happen until someone fixes the profile or downloads the model, so no retry is suggested.
  if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict')) return new LeaseError(err.message, 'start_failed', null);
  return err;
}
