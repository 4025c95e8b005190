// Where the audit log's batches are written: small ones on the main connection (no second V8 heap
// for a lightly used gateway), large ones on the writer thread, and a backlog on the main
// connection again when the writer thread (lowest CPU priority) falls behind — never a lost record.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditBatchBuilder, expandAuditBatch, type AuditEntry, type PackedAuditBatch } from '../../src/db/audit-batch.js';
import { createDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { auditRepository, WRITER_MIN_ROWS } from '../../src/db/repositories/audit.js';
import type { SqlWriter } from '../../src/db/sqlite-writer.js';
import { createAuditService } from '../../src/services/audit.js';

let home: string;
let handle: DatabaseHandle;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'mlxm-audit-writer-'));
  handle = createDatabase({ home, database_url: undefined });
  await migrateToLatest(handle.db);
});

afterEach(async () => {
  await handle.destroy();
  await rm(home, { recursive: true, force: true });
});

/** A writer that unpacks and runs each batch on the main connection after `delayMs`, and counts its rows. */
function fakeWriter(delayMs = 0): SqlWriter<PackedAuditBatch> & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    async run(sql, batch) {
      batches.push(batch.count);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      await handle.db.executeQuery(CompiledQuery.raw(sql, expandAuditBatch(batch)));
    },
    async close() {},
  };
}

const count = async () => Number((await handle.db.selectFrom('audit').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

function entry(): AuditEntry {
  return {
    user_id: null, api_key_id: 'k', endpoint: '/v1/chat/completions', requested_model: 'm', rule_id: null, backend: 'openai', target_id: 't',
    target_model: 'm', status: 200, duration_ms: 1, ttft_ms: null, tokens_in: 1, tokens_out: 2, hops: [], error: null,
  };
}

function batch(n: number): PackedAuditBatch {
  const builder = new AuditBatchBuilder(n);
  for (let i = 0; i < n; i++) builder.add(entry(), Date.now());
  return builder.seal();
}

describe('audit repository: which connection writes a batch', () => {
  it('a batch under the threshold stays on the main connection, a larger one goes to the writer', async () => {
    const writer = fakeWriter();
    const repo = auditRepository(handle.db, writer);
    expect(await repo.insertBatch(batch(WRITER_MIN_ROWS - 1))).toHaveLength((WRITER_MIN_ROWS - 1) * 17);
    expect(writer.batches).toEqual([]);
    expect(await repo.insertBatch(batch(WRITER_MIN_ROWS))).toBeNull();
    expect(writer.batches).toEqual([WRITER_MIN_ROWS]);
    expect(await count()).toBe(2 * WRITER_MIN_ROWS - 1);
  });

  it('`here` keeps even a large batch on the main connection', async () => {
    const writer = fakeWriter();
    await auditRepository(handle.db, writer).insertBatch(batch(150), true);
    expect(writer.batches).toEqual([]);
    expect(await count()).toBe(150);
  });

  it('a batch larger than one INSERT is written here in chunks', async () => {
    const writer = fakeWriter();
    await auditRepository(handle.db, writer).insertBatch(batch(450));
    expect(writer.batches).toEqual([]);
    expect(await count()).toBe(450);
  });
});

describe('audit repository with a writer thread that fails', () => {
  it('writes the batch on the main connection instead, once, even when the thread had committed it', async () => {
    // This writer commits the rows, then fails (a thread that died before it could answer).
    const writer: SqlWriter<PackedAuditBatch> = {
      async run(sql, packed) {
        await handle.db.executeQuery(CompiledQuery.raw(sql, expandAuditBatch(packed)));
        throw new Error('the SQLite writer thread stopped');
      },
      async close() {},
    };
    const repo = auditRepository(handle.db, writer);
    await repo.insertBatch(batch(WRITER_MIN_ROWS));
    expect(await count()).toBe(WRITER_MIN_ROWS);
    // A thread that never writes anything: the rows still land, and whoever listens hears why.
    const broken: SqlWriter<PackedAuditBatch> = { run: () => Promise.reject(new Error('could not start')), close: async () => {} };
    const heard: unknown[] = [];
    await auditRepository(handle.db, broken, (err) => heard.push(err)).insertBatch(batch(WRITER_MIN_ROWS + 5));
    expect(await count()).toBe(2 * WRITER_MIN_ROWS + 5);
    expect(heard.map((e) => (e as Error).message)).toEqual(['could not start']);
  });
});

describe('audit service with a writer thread that falls behind', () => {
  it('writes the backlog on the main connection, and every record lands', async () => {
    const writer = fakeWriter(300);
    const audit = createAuditService({ db: handle.db, writer, retentionDays: () => 30, batchSize: 200, flushIntervalMs: 60_000 });
    try {
      for (let i = 0; i < 250; i++) audit.record(entry()); // a full batch starts a write to the slow writer
      for (let i = 0; i < 1000; i++) audit.record(entry()); // meanwhile five more full batches wait
      await audit.flush(); // and the last 50 make a sixth
      // The first batch went to the writer; when it was done six were waiting (over 4), so the
      // next two were written here, then the writer took the full batches again and the last 50
      // (a small batch) were written here.
      expect(writer.batches).toEqual(Array(4).fill(200));
      expect(await count()).toBe(1250);
      expect(audit.stats()).toEqual({ queued: 0, dropped: 0 });
    } finally {
      await audit.close();
    }
  });

  it('drops the oldest waiting batches beyond its limit while the database refuses writes, never the newest', async () => {
    const refusing: SqlWriter<PackedAuditBatch> = { run: () => Promise.reject(new Error('down')), close: async () => {} };
    await handle.db.schema.dropTable('audit').execute(); // every write fails now, on either connection
    const errors: unknown[] = [];
    const audit = createAuditService({ db: handle.db, writer: refusing, retentionDays: () => 30, batchSize: 10, maxQueued: 35, flushIntervalMs: 60_000, onError: (e) => errors.push(e) });
    try {
      for (let i = 0; i < 60; i++) audit.record(entry());
      await audit.flush();
      const stats = audit.stats();
      expect(stats.queued + stats.dropped).toBe(60);
      expect(stats.queued).toBeLessThanOrEqual(40);
      expect(stats.dropped).toBeGreaterThanOrEqual(20);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await audit.close();
    }
  });
});
