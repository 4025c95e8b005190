import type { AuditStats } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { formatCost, latencyChart, requestsChart, tokensChart } from './chart-series.js';

const stats: AuditStats = {
  since: '2026-01-01T00:00:00.000Z', until: '2026-01-01T00:01:00.000Z', bucket_seconds: 30,
  totals: { requests: 3, errors: 1, tokens_in: 5, tokens_out: 7, cost_usd: 0, unpriced: 0 },
  buckets: [
    { start: '2026-01-01T00:00:00.000Z', ok: 2, client_errors: 0, server_errors: 1, p50_ms: 10, p95_ms: 20, ttft_p50_ms: 5, tokens_in: 5, tokens_out: 7 },
    { start: '2026-01-01T00:00:30.000Z', ok: 0, client_errors: 0, server_errors: 0, p50_ms: null, p95_ms: null, ttft_p50_ms: null, tokens_in: 0, tokens_out: 0 },
  ],
  models: [], truncated: false,
};

describe('chart series', () => {
  it('scales counts to a per-minute rate and keeps empty buckets as gaps', () => {
    const r = requestsChart(stats);
    expect(r.x).toEqual([1767225600, 1767225630]);
    expect(r.series.map((s) => s.values)).toEqual([[4, 0], [0, 0], [2, 0]]);
    expect(latencyChart(stats).series[1]!.values).toEqual([20, null]);
    expect(tokensChart(stats).series.map((s) => s.values[0])).toEqual([5, 7]);
  });
  it('formats costs, unknown as a dash', () => {
    expect([formatCost(null), formatCost(0), formatCost(0.000123), formatCost(1.5)]).toEqual(['—', '$0', '$0.00012', '$1.50']);
  });
});
