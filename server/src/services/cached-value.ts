/**
 * A value loaded on demand and kept until `invalidate()` or until it is `ttlMs` old. The TTL picks
 * up writes made by another instance sharing the database; this instance invalidates on its own
 * writes. Concurrent readers share one load.
 */
export interface CachedValue<T> {
  get(): Promise<T>;
  /**
   * The value `get()` would resolve with at once, or undefined when it would load (nothing
   * loaded yet, loading, stale or invalidated). For the data plane's hot path, which skips a
   * promise per request when the value is at hand and calls `get()` otherwise.
   */
  peek(): T | undefined;
  invalidate(): void;
}

export function cachedValue<T>(load: () => Promise<T>, ttlMs: number, now: () => number = Date.now): CachedValue<T> {
  let entry: { value: Promise<T>; at: number; generation: number; loaded?: { value: T } } | undefined;
  let generation = 0;
  const current = () => (entry && entry.generation === generation && now() - entry.at < ttlMs ? entry : undefined);
  return {
    get() {
      const fresh = current();
      if (fresh) return fresh.value;
      const next: NonNullable<typeof entry> = { value: load(), at: now(), generation };
      entry = next;
      next.value.then(
        (value) => {
          next.loaded = { value };
        },
        // A failed load is not kept: the next reader tries again.
        () => {
          if (entry === next) entry = undefined;
        },
      );
      return next.value;
    },
    peek() {
      return current()?.loaded?.value;
    },
    invalidate() {
      generation++;
    },
  };
}
