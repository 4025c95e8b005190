/*
 * Login rate limiting: failed attempts are counted in a sliding window per client address and
 * per account. The window logic is pure; the store is a bounded in-memory map (one process).
 */

export interface ThrottleLimits {
  windowMs: number;
  maxFailuresPerAddress: number;
  maxFailuresPerAccount: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  windowMs: 15 * 60_000,
  maxFailuresPerAddress: 30,
  maxFailuresPerAccount: 10,
};

/** Pure: drops timestamps older than the window. */
export function pruneWindow(times: readonly number[], now: number, windowMs: number): number[] {
  return times.filter((t) => now - t < windowMs);
}

/** Pure: 0 when allowed, else milliseconds until the oldest failure leaves the window. */
export function retryAfterMs(times: readonly number[], now: number, windowMs: number, max: number): number {
  const recent = pruneWindow(times, now, windowMs);
  if (recent.length < max) return 0;
  const oldest = Math.min(...recent);
  return Math.max(1, windowMs - (now - oldest));
}

const MAX_TRACKED_KEYS = 10_000;

export function createLoginThrottle(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS, now: () => number = Date.now) {
  const failures = new Map<string, number[]>();

  function times(key: string): number[] {
    return pruneWindow(failures.get(key) ?? [], now(), limits.windowMs);
  }

  return {
    /** 0 if a login may be attempted now, else the wait in ms. */
    check(address: string, account: string): number {
      const t = now();
      return Math.max(
        retryAfterMs(times(`ip:${address}`), t, limits.windowMs, limits.maxFailuresPerAddress),
        retryAfterMs(times(`acct:${account}`), t, limits.windowMs, limits.maxFailuresPerAccount),
      );
    },
    recordFailure(address: string, account: string): void {
      if (failures.size > MAX_TRACKED_KEYS) failures.clear(); // bound memory under a flood
      const t = now();
      for (const key of [`ip:${address}`, `acct:${account}`]) failures.set(key, [...times(key), t]);
    },
    /** A correct password clears the account's failures (not the address's: one address, many guesses). */
    recordSuccess(account: string): void {
      failures.delete(`acct:${account}`);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
