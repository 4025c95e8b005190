/**
 * A value loaded on demand and kept until `invalidate()` or until it is `ttlMs` old. The TTL picks
 * up writes made by another instance sharing the database; this instance invalidates on its own
 * writes. Concurrent readers share one load.
 */
export interface CachedValue<T> {
  get(): Promise<T>;
  invalidate(): void;
}

export function cachedValue<T>(load: () => Promise<T>, ttlMs: number, now: () => number = Date.now): CachedValue<T> {
  let entry: { value: Promise<T>; at: number; generation: number } | undefined;
  let generation = 0;
  return {
    get() {
      if (entry && entry.generation === generation && now() - entry.at < ttlMs) return entry.value;
      const current = { value: load(), at: now(), generation };
      entry = current;
      // A failed load is not kept: the next reader tries again.
      current.value.catch(() => {
        if (entry === current) entry = undefined;
      });
      return current.value;
    },
    invalidate() {
      generation++;
    },
  };
}
