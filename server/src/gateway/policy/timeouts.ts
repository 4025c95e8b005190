/*
 * Per-backend time limits. A local model loaded on demand may take minutes before its first token,
 * so local targets get a long time-to-first-token; cloud providers answer quickly or not at all.
 * Providers and profiles may override any field. Pure.
 */

export interface Timeouts {
  /** TCP (and TLS) connect. */
  connectMs: number;
  /** From sending the request to the first byte of the answer body (includes an on-demand start). */
  firstTokenMs: number;
  /** Longest silence between two chunks of a streamed answer. */
  idleMs: number;
  /** The whole request, first byte to last. */
  totalMs: number;
}

export type TimeoutOverrides = Partial<Timeouts>;

export const LOCAL_TIMEOUTS: Timeouts = { connectMs: 5_000, firstTokenMs: 300_000, idleMs: 120_000, totalMs: 1_800_000 };
export const CLOUD_TIMEOUTS: Timeouts = { connectMs: 10_000, firstTokenMs: 60_000, idleMs: 60_000, totalMs: 600_000 };

/**
 * The limits of one request on one target: its kind's defaults with the overrides that are
 * positive numbers. A whole (non-streamed) answer sends its first byte only once the last token
 * is generated, so unless the first-byte limit was set explicitly it is the total limit there.
 */
export function timeoutsFor(kind: 'local' | 'provider', overrides: TimeoutOverrides = {}, streaming = true): Timeouts {
  const base = kind === 'local' ? LOCAL_TIMEOUTS : CLOUD_TIMEOUTS;
  const out = { ...base };
  const set = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  for (const key of Object.keys(base) as (keyof Timeouts)[]) {
    const v = overrides[key];
    if (set(v)) out[key] = v;
  }
  if (!streaming && !set(overrides.firstTokenMs)) out.firstTokenMs = out.totalMs;
  return out;
}

/** Both sets of limits of a target (streamed and whole answers), worked out once: `Backend.timeouts`. */
export function limitsOf(kind: 'local' | 'provider', overrides: TimeoutOverrides = {}): (streaming: boolean) => Timeouts {
  const whole = timeoutsFor(kind, overrides, false);
  const streamed = timeoutsFor(kind, overrides, true);
  return (streaming) => (streaming ? streamed : whole);
}
