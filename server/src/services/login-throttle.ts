/*
 * Login and registration rate limiting, in memory (one process).
 *
 * Logins: failures are counted per (account, address) pair. The first few are free; after that
 * each further attempt of that pair must wait twice as long as the last (capped), so a guesser
 * slows down while the real owner, coming from another address, is never locked out. A high
 * global cap on failures stops a distributed flood. Registrations: a sliding window per address.
 * The arithmetic is pure; the maps are bounded.
 */

export interface ThrottleLimits {
  windowMs: number;
  /** Failures of one (account, address) pair before delays start. */
  freeFailuresPerPair: number;
  /** Delay after the first counted failure; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures from everywhere in the window before every login waits. */
  globalMaxFailures: number;
  /** Registrations per address in the window. */
  maxRegistrationsPerAddress: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  windowMs: 15 * 60_000,
  freeFailuresPerPair: 5,
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  globalMaxFailures: 2_000,
  maxRegistrationsPerAddress: 10,
};

/** Pure: drops timestamps older than the window. */
export function pruneWindow(times: readonly number[], now: number, windowMs: number): number[] {
  return times.filter((t) => now - t < windowMs);
}

/** Pure: 0 when allowed, else milliseconds until the oldest entry leaves the window. */
export function retryAfterMs(times: readonly number[], now: number, windowMs: number, max: number): number {
  const recent = pruneWindow(times, now, windowMs);
  if (recent.length < max) return 0;
  const oldest = Math.min(...recent);
  return Math.max(1, windowMs - (now - oldest));
}

/** Pure: how long after its latest failure a pair must wait (0 while failures are still free). */
export function progressiveDelayMs(failures: number, limits: Pick<ThrottleLimits, 'freeFailuresPerPair' | 'baseDelayMs' | 'maxDelayMs'>): number {
  const counted = failures - limits.freeFailuresPerPair;
  if (counted < 0) return 0;
  return Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** Math.min(counted, 30));
}

const MAX_TRACKED_KEYS = 10_000;

export function createLoginThrottle(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS, now: () => number = Date.now) {
  const failures = new Map<string, number[]>();
  const registrations = new Map<string, number[]>();
  let global: number[] = [];
  const pairKey = (address: string, account: string) => `${account}\u0000${address}`;

  function recent(map: Map<string, number[]>, key: string): number[] {
    return pruneWindow(map.get(key) ?? [], now(), limits.windowMs);
  }
  function remember(map: Map<string, number[]>, key: string): void {
    if (map.size > MAX_TRACKED_KEYS) map.clear(); // bound memory under a flood
    map.set(key, [...recent(map, key), now()]);
  }

  return {
    /** 0 if this account may try a password from this address now, else the wait in ms. */
    check(address: string, account: string): number {
      const t = now();
      global = pruneWindow(global, t, limits.windowMs);
      const times = recent(failures, pairKey(address, account));
      const last = times.length > 0 ? Math.max(...times) : t;
      const pairWait = Math.max(0, last + progressiveDelayMs(times.length, limits) - t);
      return Math.max(pairWait, retryAfterMs(global, t, limits.windowMs, limits.globalMaxFailures));
    },
    recordFailure(address: string, account: string): void {
      remember(failures, pairKey(address, account));
      global.push(now());
    },
    /** A correct password clears that pair's failures. */
    recordSuccess(address: string, account: string): void {
      failures.delete(pairKey(address, account));
    },
    /** 0 and counted if this address may register now, else the wait in ms (nothing counted). */
    takeRegistration(address: string): number {
      const wait = retryAfterMs(recent(registrations, address), now(), limits.windowMs, limits.maxRegistrationsPerAddress);
      if (wait === 0) remember(registrations, address);
      return wait;
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
