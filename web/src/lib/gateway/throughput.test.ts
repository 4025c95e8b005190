import type { AuditRecord } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { tokensPerSecond } from './throughput.js';

const rec = (over: Partial<AuditRecord>): AuditRecord => ({
  id: 'x', time: '', user_id: null, api_key_id: null, endpoint: '', requested_model: 'm', rule_id: null, backend: 'local', target_id: 'p1',
  target_model: null, status: 200, duration_ms: 1100, ttft_ms: 100, tokens_in: 5, tokens_out: 50, hops: [], error: null, cost_usd: 0, ...over,
});

describe('tokensPerSecond', () => {
  it('divides output tokens by the time after the first token, per local profile, skipping failures and providers', () => {
    const tps = tokensPerSecond([rec({}), rec({ tokens_out: 30, duration_ms: 600 }), rec({ status: 500 }), rec({ backend: 'openai', target_id: 'prov' }), rec({ ttft_ms: null })]);
    expect(tps).toEqual(new Map([['p1', 53.3]]));
  });
});
