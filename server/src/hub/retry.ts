import { HubError, hubNetworkError } from './errors.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap on any single wait, including a hub's Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Resolve after `ms`, or reject as cancelled as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new HubError('cancelled', 'download cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new HubError('cancelled', 'download cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wait before attempt `attempt + 1`: the hub's Retry-After when given, else exponential with jitter. */
export function retryDelay(err: HubError, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  if (err.retryAfterSeconds !== undefined) return Math.min(err.retryAfterSeconds * 1000, policy.maxDelayMs);
  const exp = policy.baseDelayMs * 2 ** attempt;
  return Math.min(exp * (0.5 + random() / 2), policy.maxDelayMs);
}

/** Run `fn`, retrying network/5xx/429 failures; anything else (and cancel) fails at once. */
export async function withRetry<T>(what: string, fn: (attempt: number) => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (raw) {
      if (signal?.aborted) throw new HubError('cancelled', 'download cancelled', { cause: raw });
      const err = raw instanceof HubError ? raw : hubNetworkError(raw, what);
      if (!err.retryable || attempt + 1 >= policy.maxAttempts) throw err;
      await sleep(retryDelay(err, attempt, policy), signal);
    }
  }
}
