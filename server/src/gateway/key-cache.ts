/*
 * Verified gateway keys, remembered briefly so a busy client does not cost a database query per
 * request. Emptied whenever keys or users change on this instance (revoking a key, disabling a
 * user); the short TTL bounds how long a change made by another instance on a shared database
 * takes to apply. Unknown keys are not remembered (a guessing client gains nothing).
 */

export interface KeyCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

const DEFAULTS: KeyCacheOptions = { ttlMs: 10_000, maxEntries: 1000, now: Date.now };

export class KeyCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly options: KeyCacheOptions;

  constructor(options: Partial<KeyCacheOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= this.options.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: this.options.now() + this.options.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
