import type { AuditStats } from '@mlx-manager/contract';

/** One chart: x (unix seconds) then one array per series, nulls where a bucket has nothing. */
export interface ChartData {
  x: number[];
  series: { label: string; values: (number | null)[]; color: 'ok' | 'warn' | 'bad' | 'a' | 'b' | 'c' }[];
}

/** Pure: requests per minute by status class (a bucket's count scaled to one minute). */
export function requestsChart(s: AuditStats): ChartData {
  const perMinute = 60 / s.bucket_seconds;
  const x = s.buckets.map((b) => Date.parse(b.start) / 1000);
  const rate = (n: number) => Math.round(n * perMinute * 100) / 100;
  return {
    x,
    series: [
      { label: 'OK /min', values: s.buckets.map((b) => rate(b.ok)), color: 'ok' },
      { label: '4xx /min', values: s.buckets.map((b) => rate(b.client_errors)), color: 'warn' },
      { label: '5xx /min', values: s.buckets.map((b) => rate(b.server_errors)), color: 'bad' },
    ],
  };
}

/** Pure: latency percentiles and time to first token, in ms. */
export function latencyChart(s: AuditStats): ChartData {
  return {
    x: s.buckets.map((b) => Date.parse(b.start) / 1000),
    series: [
      { label: 'p50 ms', values: s.buckets.map((b) => b.p50_ms), color: 'a' },
      { label: 'p95 ms', values: s.buckets.map((b) => b.p95_ms), color: 'b' },
      { label: 'TTFT p50 ms', values: s.buckets.map((b) => b.ttft_p50_ms), color: 'c' },
    ],
  };
}

/** Pure: tokens in and out per bucket. */
export function tokensChart(s: AuditStats): ChartData {
  return {
    x: s.buckets.map((b) => Date.parse(b.start) / 1000),
    series: [
      { label: 'tokens in', values: s.buckets.map((b) => b.tokens_in), color: 'a' },
      { label: 'tokens out', values: s.buckets.map((b) => b.tokens_out), color: 'b' },
    ],
  };
}

/** Pure: a dollar amount for a table cell (unknown stays visible as such). */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(5)}`;
  return `$${usd.toFixed(2)}`;
}
