/*
 * Generation speed per local profile, measured from the requests the gateway served: output
 * tokens over the time from the first token to the end of the answer (prompt processing and any
 * model load are excluded, so the figure is the engine's decode speed). A sliding window of the
 * last samples per profile; pure apart from the clock it is given.
 */

export interface ThroughputSample {
  tokens: number;
  ms: number;
  at: number;
}

export interface ThroughputOptions {
  /** Samples older than this are forgotten. */
  windowMs: number;
  /** At most this many samples are kept per profile. */
  maxSamples: number;
  now: () => number;
}

const DEFAULTS: ThroughputOptions = { windowMs: 5 * 60_000, maxSamples: 50, now: Date.now };

export class ThroughputMeter {
  private readonly samples = new Map<string, ThroughputSample[]>();
  private readonly options: ThroughputOptions;

  constructor(options: Partial<ThroughputOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  observe(profileId: string, tokens: number, ms: number): void {
    if (!(tokens > 0) || !(ms > 0)) return;
    const list = this.samples.get(profileId) ?? [];
    list.push({ tokens, ms, at: this.options.now() });
    if (list.length > this.options.maxSamples) list.splice(0, list.length - this.options.maxSamples);
    this.samples.set(profileId, list);
  }

  /** Tokens per second over the window (total tokens / total time), or null without samples. */
  tokensPerSecond(profileId: string): number | null {
    const cutoff = this.options.now() - this.options.windowMs;
    const list = (this.samples.get(profileId) ?? []).filter((s) => s.at >= cutoff);
    if (list.length === 0) {
      this.samples.delete(profileId);
      return null;
    }
    this.samples.set(profileId, list);
    const tokens = list.reduce((n, s) => n + s.tokens, 0);
    const ms = list.reduce((n, s) => n + s.ms, 0);
    return (tokens * 1000) / ms;
  }

  /** Every profile with a current figure. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const id of [...this.samples.keys()]) {
      const tps = this.tokensPerSecond(id);
      if (tps !== null) out[id] = tps;
    }
    return out;
  }
}
