import type { AuditRecord } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { bucketWidth, quantile, summarise } from './audit-stats.js';

const at = (iso: string, over: Partial<AuditRecord> = {}): AuditRecord => ({
  id: iso, time: iso, user_id: null, api_key_id: null, endpoint: '/v1/chat/completions', requested_model: 'm', rule_id: null, backend: 'local',
  target_id: 'p', target_model: 'm', status: 200, duration_ms: 100, ttft_ms: 10, tokens_in: 1, tokens_out: 2, hops: [], error: null, cost_usd: 0, ...over,
});

describe('audit stats', () => {
  it('quantile uses the nearest rank', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.95)).toBe(4);
    expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBe(95);
  });

  it('bucketWidth picks a round width near 60 buckets', () => {
    expect(bucketWidth(0, 3600_000)).toBe(60);
    expect(bucketWidth(0, 24 * 3600_000)).toBe(1800);
    expect(bucketWidth(0, 1000)).toBe(10);
  });

  it('buckets by status class, percentiles, tokens; per-model totals with unknown cost kept apart', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2026-01-01T00:03:00Z');
    const s = summarise([
      at('2026-01-01T00:00:10Z', { duration_ms: 100 }),
      at('2026-01-01T00:00:20Z', { duration_ms: 300, status: 502 }),
      at('2026-01-01T00:01:30Z', { status: 429, requested_model: 'cloud', backend: 'openai', cost_usd: null }),
      at('2026-01-01T00:02:59Z', { requested_model: 'cloud', backend: 'openai', cost_usd: 0.5 }),
    ], { since, until, bucketSeconds: 60, truncated: false });
    expect(s.buckets.map((b) => [b.ok, b.client_errors, b.server_errors])).toEqual([[1, 0, 1], [0, 1, 0], [1, 0, 0]]);
    expect(s.buckets[0]).toMatchObject({ p50_ms: 100, p95_ms: 300, tokens_in: 2, tokens_out: 4 });
    expect(s.totals).toEqual({ requests: 4, errors: 2, tokens_in: 4, tokens_out: 8, cost_usd: 0.5, unpriced: 1 });
    expect(s.models.map((m) => [m.model, m.requests, m.errors, m.cost_usd])).toEqual([['cloud', 2, 1, null], ['m', 2, 1, 0]]);
  });
});
