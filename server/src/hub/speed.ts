/** Speed and ETA over a sliding window of (time, bytes) samples. Pure. */
export interface SpeedSample {
  at: number;
  bytes: number;
}

export function pushSample(samples: SpeedSample[], s: SpeedSample, windowMs = 5000): SpeedSample[] {
  const kept = samples.filter((x) => s.at - x.at <= windowMs);
  kept.push(s);
  return kept;
}

/** Bytes per second between the oldest and newest sample (0 with fewer than two). */
export function speedOf(samples: readonly SpeedSample[]): number {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at <= first.at) return 0;
  return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
}

/** Seconds left at `speed`; null when unknown (no speed yet). */
export function etaSeconds(done: number, total: number, speed: number): number | null {
  if (total <= done) return 0;
  return speed > 0 ? Math.ceil((total - done) / speed) : null;
}
