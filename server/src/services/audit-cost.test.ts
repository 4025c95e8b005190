import { describe, expect, it } from 'vitest';
import { costsOf, recordCost, type Costable } from './audit-cost.js';

const provider = (over: Partial<Costable> = {}): Costable => ({ backend: 'openai', target_id: 'p1', target_model: 'gpt-x', tokens_in: 1000, tokens_out: 500, ...over });

describe('recordCost', () => {
  it('charges per million tokens in and out', () => {
    expect(recordCost(provider(), { input_per_mtok: 3, output_per_mtok: 15 })).toBeCloseTo((1000 * 3 + 500 * 15) / 1e6, 12);
  });
  it('is zero for local models and for requests that reached no backend or used no tokens', () => {
    expect(recordCost(provider({ backend: 'local' }), undefined)).toBe(0);
    expect(recordCost(provider({ backend: null }), undefined)).toBe(0);
    expect(recordCost(provider({ tokens_in: null, tokens_out: 0 }), undefined)).toBe(0);
  });
  it('is unknown (null), not zero, when a price it needs is missing', () => {
    expect(recordCost(provider(), undefined)).toBeNull();
    expect(recordCost(provider(), { input_per_mtok: 1, output_per_mtok: null })).toBeNull();
    expect(recordCost(provider({ tokens_out: 0 }), { input_per_mtok: 1, output_per_mtok: null })).toBeCloseTo(0.001, 12);
  });
});

describe('costsOf', () => {
  it('looks each provider model up once', async () => {
    const asked: string[] = [];
    const costs = await costsOf([provider(), provider(), provider({ backend: 'local' }), provider({ target_model: 'other' })], async (id, model) => {
      asked.push(`${id}/${model}`);
      return model === 'gpt-x' ? { input_per_mtok: 1, output_per_mtok: 1 } : undefined;
    });
    expect(asked).toEqual(['p1/gpt-x', 'p1/other']);
    expect(costs).toEqual([0.0015, 0.0015, 0, null]);
  });
});
