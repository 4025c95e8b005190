import type { AuditBucket, AuditModelStats, AuditRecord, AuditStats } from '@mlx-manager/contract';

/** Buckets a chart gets when the caller does not choose their width. */
const TARGET_BUCKETS = 60;
const NICE_WIDTHS = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** Pure: a round bucket width (seconds) giving about 60 buckets over the range. */
export function bucketWidth(sinceMs: number, untilMs: number): number {
  const wanted = Math.max(1, (untilMs - sinceMs) / 1000 / TARGET_BUCKETS);
  return NICE_WIDTHS.find((w) => w >= wanted) ?? NICE_WIDTHS[NICE_WIDTHS.length - 1]!;
}

/** Pure: the q-quantile (0..1) of sorted values by nearest rank; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

const sortedOf = (values: number[]) => values.sort((a, b) => a - b);

interface Acc {
  durations: number[];
  ttfts: number[];
  ok: number;
  clientErrors: number;
  serverErrors: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  costUnknown: boolean;
}

const emptyAcc = (): Acc => ({ durations: [], ttfts: [], ok: 0, clientErrors: 0, serverErrors: 0, tokensIn: 0, tokensOut: 0, cost: 0, costUnknown: false });

function add(acc: Acc, r: AuditRecord): void {
  acc.durations.push(r.duration_ms);
  if (r.ttft_ms !== null) acc.ttfts.push(r.ttft_ms);
  if (r.status >= 500) acc.serverErrors++;
  else if (r.status >= 400) acc.clientErrors++;
  else acc.ok++;
  acc.tokensIn += r.tokens_in ?? 0;
  acc.tokensOut += r.tokens_out ?? 0;
  if (r.cost_usd === null || r.cost_usd === undefined) acc.costUnknown = true;
  else acc.cost += r.cost_usd;
}

export interface StatsWindow {
  since: Date;
  until: Date;
  bucketSeconds: number;
  /** More records matched than were read. */
  truncated: boolean;
}

/** Pure: chart buckets, per-model totals and overall totals of records (with their costs). */
export function summarise(records: readonly AuditRecord[], w: StatsWindow): AuditStats {
  const sinceMs = w.since.getTime();
  const widthMs = w.bucketSeconds * 1000;
  const start = Math.floor(sinceMs / widthMs) * widthMs;
  const count = Math.max(1, Math.ceil((w.until.getTime() - start) / widthMs));
  const buckets = Array.from({ length: count }, emptyAcc);
  const models = new Map<string, Acc>();
  const total = emptyAcc();
  let unpriced = 0;
  for (const r of records) {
    const index = Math.floor((Date.parse(r.time) - start) / widthMs);
    const bucket = buckets[index];
    if (bucket) add(bucket, r);
    let model = models.get(r.requested_model);
    if (!model) models.set(r.requested_model, (model = emptyAcc()));
    add(model, r);
    add(total, r);
    if (r.cost_usd === null || r.cost_usd === undefined) unpriced++;
  }
  const outBuckets: AuditBucket[] = buckets.map((b, i) => {
    const d = sortedOf(b.durations);
    return {
      start: new Date(start + i * widthMs).toISOString(),
      ok: b.ok,
      client_errors: b.clientErrors,
      server_errors: b.serverErrors,
      p50_ms: quantile(d, 0.5),
      p95_ms: quantile(d, 0.95),
      ttft_p50_ms: quantile(sortedOf(b.ttfts), 0.5),
      tokens_in: b.tokensIn,
      tokens_out: b.tokensOut,
    };
  });
  const outModels: AuditModelStats[] = [...models.entries()]
    .map(([model, m]) => {
      const d = sortedOf(m.durations);
      return {
        model,
        requests: d.length,
        errors: m.clientErrors + m.serverErrors,
        tokens_in: m.tokensIn,
        tokens_out: m.tokensOut,
        p50_ms: quantile(d, 0.5),
        p95_ms: quantile(d, 0.95),
        cost_usd: m.costUnknown ? null : m.cost,
      };
    })
    .sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
  return {
    since: w.since.toISOString(),
    until: w.until.toISOString(),
    bucket_seconds: w.bucketSeconds,
    totals: {
      requests: records.length,
      errors: total.clientErrors + total.serverErrors,
      tokens_in: total.tokensIn,
      tokens_out: total.tokensOut,
      cost_usd: total.cost,
      unpriced,
    },
    buckets: outBuckets,
    models: outModels,
    truncated: w.truncated,
  };
}
