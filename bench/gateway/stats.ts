// Pure summaries of a load run: percentiles, rates, and the comparisons the report states.

export interface Sample {
  /** ms from sending the request to the first response byte (headers; first event for streams). */
  ttfb: number;
  /** ms from sending the request to the end of the body. */
  total: number;
}

export interface RunResult {
  samples: Sample[];
  errors: number;
  /** First few error messages, for the report. */
  errorExamples: string[];
  seconds: number;
  /** Peak RSS of the process under test during the run, MB (null: nothing to sample, e.g. direct). */
  peakRssMB: number | null;
}

export interface Summary {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  ttfbP50: number;
  ttfbP99: number;
  errors: number;
  peakRssMB: number | null;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(run: RunResult): Summary {
  const totals = run.samples.map((s) => s.total).sort((a, b) => a - b);
  const ttfbs = run.samples.map((s) => s.ttfb).sort((a, b) => a - b);
  return {
    requests: run.samples.length,
    rps: run.samples.length / run.seconds,
    p50: percentile(totals, 50),
    p99: percentile(totals, 99),
    ttfbP50: percentile(ttfbs, 50),
    ttfbP99: percentile(ttfbs, 99),
    errors: run.errors,
    peakRssMB: run.peakRssMB,
  };
}

/** Several runs of one target as one: their samples, errors and time added up, the highest peak RSS. */
export function mergeRuns(runs: readonly RunResult[]): RunResult {
  const peaks = runs.map((r) => r.peakRssMB).filter((v): v is number => v !== null);
  return {
    samples: runs.flatMap((r) => r.samples),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    errorExamples: runs.flatMap((r) => r.errorExamples).slice(0, 3),
    seconds: runs.reduce((n, r) => n + r.seconds, 0),
    peakRssMB: peaks.length ? Math.max(...peaks) : null,
  };
}

/** What a proxy adds over calling the upstream directly, at the same percentile. */
export function added(proxy: Summary, direct: Summary): { p50: number; p99: number; rpsRatio: number } {
  return { p50: proxy.p50 - direct.p50, p99: proxy.p99 - direct.p99, rpsRatio: proxy.rps / direct.rps };
}
