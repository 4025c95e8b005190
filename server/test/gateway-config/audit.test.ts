// Audit log on SQLite and PostgreSQL: batched writes off the request path, filters, pages,
// non-admins limited to their own records, retention, and a flush on shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@mlx-manager/contract';
import { createDatabase } from '../../src/db/connect.js';
import { createAuditService, type AuditEntry } from '../../src/services/audit.js';
import { databaseTargets } from '../helpers/databases.js';
import { expectError, fieldsOf, gatewayApp, type GatewayApp } from './helpers.js';

function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    user_id: null, api_key_id: 'key-1', endpoint: '/v1/chat/completions', requested_model: 'gpt-x', rule_id: null,
    backend: 'local', target_id: 'p1', target_model: 'model-a', status: 200, duration_ms: 12.4, ttft_ms: 3.6,
    tokens_in: 10, tokens_out: 20, hops: [], error: null, ...over,
  };
}

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`audit on ${target.name}`, () => {
    let g: GatewayApp;
    beforeAll(async () => {
      // A long interval: these tests decide when the batch is written.
      g = await gatewayApp(target, {}, { gateway: { auditFlushIntervalMs: 60_000 } });
    });
    afterAll(async () => {
      await g.dispose();
    });

    const page = async (query: string, headers = g.admin) => {
      const res = await g.app.inject({ method: 'GET', url: `/api/audit${query}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ records: AuditRecord[]; next_cursor: string | null }>();
    };

    it('queues records without touching the database, writes them on flush, with every field', async () => {
      const hop = { backend: 'openai' as const, target_id: 'prov', target_model: 'gpt-x', status: 429, error: 'rate limited', duration_ms: 5 };
      g.services.audit.record(entry({ user_id: g.adminId, time: '2026-01-01T00:00:00.000Z', backend: 'local', hops: [hop], rule_id: 'r1' }));
      expect(g.services.audit.stats().queued).toBe(1);
      expect((await page('')).records).toHaveLength(0);
      await g.services.audit.flush();
      const [rec] = (await page('')).records;
      expect(rec).toMatchObject({ time: '2026-01-01T00:00:00.000Z', user_id: g.adminId, api_key_id: 'key-1', endpoint: '/v1/chat/completions', requested_model: 'gpt-x', rule_id: 'r1', backend: 'local', target_id: 'p1', target_model: 'model-a', status: 200, duration_ms: 12, ttft_ms: 4, tokens_in: 10, tokens_out: 20, hops: [hop], error: null });
    });

    it('filters by model, backend, status, time and pages newest first without gaps or repeats', async () => {
      const base = Date.parse('2026-02-01T00:00:00.000Z');
      for (let i = 0; i < 25; i++) {
        g.services.audit.record(entry({
          user_id: i % 2 === 0 ? g.adminId : g.userId,
          time: new Date(base + i * 1000).toISOString(),
          requested_model: i % 3 === 0 ? 'claude-x' : 'gpt-y',
          backend: i % 5 === 0 ? 'anthropic' : 'local',
          status: i % 4 === 0 ? 502 : 200,
          error: i % 4 === 0 ? 'upstream failed' : null,
        }));
      }
      await g.services.audit.flush();
      const window = '&since=2026-02-01T00:00:00Z&until=2026-02-02T00:00:00Z';
      expect((await page(`?limit=500${window}`)).records).toHaveLength(25);
      expect((await page(`?model=claude-x${window}`)).records.every((r) => r.requested_model === 'claude-x')).toBe(true);
      expect((await page(`?model=claude-x${window}`)).records).toHaveLength(9);
      expect((await page(`?backend=anthropic${window}`)).records).toHaveLength(5);
      expect((await page(`?status=5xx${window}`)).records).toHaveLength(7);
      expect((await page(`?status=502${window}`)).records).toHaveLength(7);
      expect((await page(`?status=ok${window}`)).records).toHaveLength(18);
      expect((await page(`?status=error${window}`)).records).toHaveLength(7);
      expect((await page('?since=2026-02-01T00:00:20Z&until=2026-02-01T00:00:22Z')).records.map((r) => r.time)).toEqual(['2026-02-01T00:00:21.000Z', '2026-02-01T00:00:20.000Z']);

      const seen: string[] = [];
      let cursor: string | null = '';
      for (let i = 0; i < 10 && cursor !== null; i++) {
        const p: { records: AuditRecord[]; next_cursor: string | null } = await page(`?limit=7${window}${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...p.records.map((r) => r.time));
        cursor = p.next_cursor;
      }
      expect(cursor).toBeNull();
      expect(seen).toHaveLength(25);
      expect([...seen].sort().reverse()).toEqual(seen);
      expect(new Set(seen).size).toBe(25);
    });

    it('shows non-admins only their own records, whatever user_id they ask for', async () => {
      const mine = await page('?limit=500', g.user);
      expect(mine.records.length).toBeGreaterThan(0);
      expect(mine.records.every((r) => r.user_id === g.userId)).toBe(true);
      const sneaky = await page(`?limit=500&user_id=${g.adminId}`, g.user);
      expect(sneaky.records.every((r) => r.user_id === g.userId)).toBe(true);
      const adminView = await page(`?limit=500&user_id=${g.userId}`);
      expect(adminView.records).toHaveLength(mine.records.length);
    });

    it('refuses bad filters with 400 naming the field', async () => {
      const cases: Array<[string, string]> = [
        ['?status=teapot', 'status'],
        ['?backend=azure', 'backend'],
        ['?since=yesterday', 'since'],
        ['?limit=0', 'limit'],
        ['?limit=abc', 'limit'],
        ['?cursor=not-a-cursor', 'cursor'],
        ['?colour=red', 'colour'],
      ];
      for (const [query, field] of cases) {
        const e = expectError(await g.app.inject({ method: 'GET', url: `/api/audit${query}`, headers: g.admin }), 400, 'validation_failed');
        expect(fieldsOf(e), query).toContain(field);
      }
      expectError(await g.app.inject({ method: 'GET', url: '/api/audit' }), 401, 'unauthenticated');
    });

    it('prunes records older than the retention setting', async () => {
      const patch = await g.app.inject({ method: 'PATCH', url: '/api/settings', headers: g.admin, payload: { audit_retention_days: 1 } });
      expect(patch.statusCode, patch.body).toBe(200);
      g.services.audit.record(entry({ time: new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString(), requested_model: 'old' }));
      g.services.audit.record(entry({ requested_model: 'fresh' }));
      await g.services.audit.flush();
      const removed = await g.services.audit.prune();
      expect(removed).toBeGreaterThanOrEqual(1);
      expect((await page('?model=old')).records).toHaveLength(0);
      expect((await page('?model=fresh')).records).toHaveLength(1);
    });

    it('writes batches larger than one INSERT (full chunks, then the rest) with every row intact', async () => {
      const base = Date.parse('2026-03-01T00:00:00.000Z');
      for (let i = 0; i < 450; i++) g.services.audit.record(entry({ requested_model: 'chunked', time: new Date(base + i).toISOString(), tokens_out: i }));
      await g.services.audit.flush();
      const seen: AuditRecord[] = [];
      let cursor: string | null = null;
      do {
        const p: { records: AuditRecord[]; next_cursor: string | null } = await page(`?model=chunked&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...p.records);
        cursor = p.next_cursor;
      } while (cursor);
      expect(seen).toHaveLength(450);
      expect(new Set(seen.map((r) => r.id)).size).toBe(450);
      expect(seen.map((r) => r.tokens_out).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 450 }, (_, i) => i));
      expect(seen.every((r) => r.time === new Date(base + r.tokens_out!).toISOString() && r.endpoint === '/v1/chat/completions' && r.target_model === 'model-a')).toBe(true);
    });

    it('writes by itself once a batch is full, and flushes what is queued on close', async () => {
      const database = createDatabase(g.config);
      const audit = createAuditService({ db: database.db, retentionDays: () => 3650, batchSize: 5, flushIntervalMs: 60_000 });
      try {
        for (let i = 0; i < 5; i++) audit.record(entry({ requested_model: 'batch' }));
        for (let i = 0; i < 50 && (await page('?model=batch')).records.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
        expect((await page('?model=batch')).records).toHaveLength(5);
        audit.record(entry({ requested_model: 'on-close' }));
        await audit.close();
        expect((await page('?model=on-close')).records).toHaveLength(1);
        audit.record(entry({ requested_model: 'after-close' }));
        expect(audit.stats().queued).toBe(0);
      } finally {
        await database.destroy();
      }
    });
  });
}
