import type { AuditHop } from '@mlx-manager/contract';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AUDIT_COLUMNS, AuditBatchBuilder, auditRowsOf, expandAuditBatch, type AuditColumnsMissing, type AuditEntry, type PackedAuditBatch } from './audit-batch.js';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');

function hop(over: Partial<AuditHop> = {}): AuditHop {
  return { backend: 'openai', target_id: 'prov-1', target_model: 'gpt-x', status: 200, error: null, duration_ms: 11, ...over };
}

function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    user_id: 'user-1', api_key_id: 'key-1', endpoint: '/v1/chat/completions', requested_model: 'gpt-x', rule_id: 'rule-1', backend: 'openai',
    target_id: 'prov-1', target_model: 'gpt-x', status: 200, duration_ms: 12, ttft_ms: 4, tokens_in: 10, tokens_out: 20, hops: [hop()], error: null,
    ...over,
  };
}

function pack(entries: AuditEntry[], nowMs = NOW): PackedAuditBatch {
  const builder = new AuditBatchBuilder(entries.length);
  for (const e of entries) expect(builder.add(e, nowMs)).toBe(true);
  return builder.seal();
}

const rowsOf = (entries: AuditEntry[], nowMs = NOW) => auditRowsOf(expandAuditBatch(pack(entries, nowMs)));

describe('audit batches: entries in, rows out', () => {
  it('names every column of the table', () => {
    expectTypeOf<AuditColumnsMissing>().toBeNever();
    expect(new Set(AUDIT_COLUMNS).size).toBe(17);
  });

  it('gives each entry its row, every field where it belongs', () => {
    const failover = [hop({ status: 500, error: 'upstream answered 500', duration_ms: 3 }), hop({ backend: 'local', target_id: 'p1', target_model: 'model-a' })];
    const rows = rowsOf([
      entry({ time: '2026-01-01T00:00:00.000Z' }),
      entry({ time: new Date(NOW - 5), user_id: null, api_key_id: null, rule_id: null, ttft_ms: null, tokens_in: null, tokens_out: null, status: 404, hops: [], backend: null, target_id: null, target_model: null, error: 'no such model' }),
      entry({ time: NOW - 1, requested_model: 'other', hops: failover, backend: 'local', target_id: 'p1', target_model: 'model-a', duration_ms: 12.6, ttft_ms: 3.4 }),
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      time: '2026-01-01T00:00:00.000Z', user_id: 'user-1', api_key_id: 'key-1', endpoint: '/v1/chat/completions', requested_model: 'gpt-x', rule_id: 'rule-1',
      backend: 'openai', target_id: 'prov-1', target_model: 'gpt-x', status: 200, duration_ms: 12, ttft_ms: 4, tokens_in: 10, tokens_out: 20, error: null,
    });
    expect(JSON.parse(rows[0]!.hops)).toEqual([hop()]);
    expect(rows[1]).toMatchObject({
      time: new Date(NOW - 5).toISOString(), user_id: null, api_key_id: null, rule_id: null, backend: null, target_id: null, target_model: null,
      status: 404, ttft_ms: null, tokens_in: null, tokens_out: null, hops: '[]', error: 'no such model',
    });
    expect(rows[2]).toMatchObject({ time: new Date(NOW - 1).toISOString(), requested_model: 'other', backend: 'local', duration_ms: 13, ttft_ms: 3 });
    expect(JSON.parse(rows[2]!.hops)).toEqual(failover);
  });

  it('keeps a hop whose status is unknown (no answer), and any text in its strings', () => {
    const odd = hop({ status: null, error: 'refused: "quoted"\n\\ \u2028 ü', target_model: 'a/b "c"' });
    const [row] = rowsOf([entry({ status: 502, error: 'refused', hops: [odd] })]);
    expect(JSON.parse(row!.hops)).toEqual([odd]);
  });

  it('takes the time of recording when an entry has none or an unreadable one', () => {
    const rows = rowsOf([entry({ time: undefined }), entry({ time: 'not a time' })]);
    expect(rows.map((r) => r.time)).toEqual([new Date(NOW).toISOString(), new Date(NOW).toISOString()]);
  });

  it('keeps each distinct string once per batch', () => {
    const batch = pack([entry(), entry({ requested_model: 'gpt-x' }), entry({ requested_model: 'other' }), entry()]);
    expect(batch.strings.filter((s) => s === 'gpt-x')).toHaveLength(1);
    expect(batch.strings).toContain('other');
    expect(rowsOf([entry(), entry({ requested_model: 'other' }), entry()]).map((r) => r.requested_model)).toEqual(['gpt-x', 'other', 'gpt-x']);
  });

  it('fills up to its capacity; a batch sealed early carries only its records', () => {
    const builder = new AuditBatchBuilder(3);
    expect(builder.add(entry(), NOW)).toBe(true);
    expect(builder.add(entry(), NOW)).toBe(true);
    const early = builder.seal();
    expect(early.count).toBe(2);
    expect(auditRowsOf(expandAuditBatch(early))).toHaveLength(2);
    expect(builder.add(entry(), NOW)).toBe(true);
    expect(builder.full).toBe(true);
    expect(builder.add(entry(), NOW)).toBe(false);
    expect(builder.seal().count).toBe(3);
  });

  it('makes the same rows from its source text alone (how the writer thread gets it)', () => {
    const batch = pack([entry(), entry({ hops: [], error: 'x' }), entry({ time: NOW - 100 })]);
    const fromSource = new Function(`return (${expandAuditBatch.toString()});`)() as typeof expandAuditBatch;
    expect(fromSource(batch)).toEqual(expandAuditBatch(batch));
  });
});

describe('audit record ids', () => {
  const idsOf = (n: number, nowMs: number) => auditRowsOf(expandAuditBatch(pack(Array.from({ length: n }, () => entry()), nowMs))).map((r) => r.id);

  it('are version 7 UUIDs whose first 48 bits are the time the record was made', () => {
    const [id] = idsOf(1, NOW);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id!.slice(0, 8) + id!.slice(9, 13), 16)).toBe(NOW);
  });

  it('sort by time as text, and ids of the same millisecond differ', () => {
    const [earlier] = idsOf(1, 1_700_000_000_000);
    const [later] = idsOf(1, 1_700_000_000_001);
    expect(earlier! < later!).toBe(true);
    expect(new Set(idsOf(10_000, 1_700_000_000_000)).size).toBe(10_000);
  });

  it('are the same each time a batch is expanded (a batch written twice is skipped, not doubled)', () => {
    const batch = pack([entry(), entry()]);
    expect(expandAuditBatch(batch)).toEqual(expandAuditBatch(batch));
  });
});
