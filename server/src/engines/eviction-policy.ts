// Which loaded models to unload so that another one fits in the memory budget, and when an idle
// engine is due for unload. Pure: numbers in, decisions out; the supervisor does the stopping.

/** A model that holds memory now (ready, or starting with its size reserved). */
export interface LoadedModel {
  id: string;
  sizeBytes: number;
  /** Requests in flight or waiting for it; a starting engine counts as busy too. Busy = never a victim. */
  inFlight: number;
  /** Epoch ms when its last request ended (or it became ready). */
  lastUsedAt: number;
}

export interface EvictionPlan {
  /** Ids to unload, least recently used first. */
  victims: string[];
  /** Whether the incoming model fits once the victims are gone. */
  fits: boolean;
}

/**
 * The fewest least-recently-used idle models whose unload makes `incomingBytes` fit in `budgetBytes`.
 * When even unloading every idle model would not make room (busy models hold the rest, or the
 * incoming model alone is larger than the budget), nothing is unloaded and `fits` is false: the
 * caller loads anyway and says so, since unloading could not reach the budget and would only cost
 * reloads. A null budget means no limit.
 */
export function chooseVictims(budgetBytes: number | null, loaded: readonly LoadedModel[], incomingBytes: number): EvictionPlan {
  if (budgetBytes === null) return { victims: [], fits: true };
  let used = loaded.reduce((sum, m) => sum + m.sizeBytes, 0);
  if (used + incomingBytes <= budgetBytes) return { victims: [], fits: true };
  const idle = loaded
    .filter((m) => m.inFlight === 0 && m.sizeBytes > 0)
    .sort((a, b) => a.lastUsedAt - b.lastUsedAt || a.id.localeCompare(b.id));
  const victims: string[] = [];
  for (const m of idle) {
    victims.push(m.id);
    used -= m.sizeBytes;
    if (used + incomingBytes <= budgetBytes) return { victims, fits: true };
  }
  return { victims: [], fits: false };
}

/**
 * Milliseconds until an idle engine should unload, or null when it should not be scheduled (no
 * TTL, or requests in flight). Counted from the end of the last request; 0 means "now".
 */
export function idleUnloadDelay(ttlSeconds: number, inFlight: number, lastUsedAt: number, now: number): number | null {
  if (ttlSeconds <= 0 || inFlight > 0) return null;
  return Math.max(0, lastUsedAt + ttlSeconds * 1000 - now);
}

/** Memory budget in bytes from the machine's memory and the configured fraction (0 < f ≤ 1). */
export function budgetBytes(totalMemoryBytes: number, fraction: number | null): number | null {
  if (fraction === null || !(fraction > 0)) return null;
  return Math.floor(totalMemoryBytes * Math.min(1, fraction));
}
