// Where the audit log's batches are written: small ones on the main connection (no second V8 heap
// for a lightly used gateway), large ones on the writer thread, and a backlog on the main
// connection again when the writer thread (lowest CPU priority) falls behind — never a lost record.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { auditRepository, WRITER_MIN_ROWS } from '../../src/db/repositories/audit.js';
import type { SqlWriter } from '../../src/db/sqlite-writer.js';
import { createAuditService, type AuditEntry } from '../../src/services/audit.js';
import { auditId } from '../../src/services/audit-id.js';
import type { AuditRow } from '../../src/db/tables/gateway.js';

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

/** A writer that runs each statement on the main connection after `delayMs`, and counts its calls. */
function fakeWriter(delayMs = 0): SqlWriter & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    async run(sql, parameters) {
      batches.push(parameters.length);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      await handle.db.executeQuery(CompiledQuery.raw(sql, [...parameters]));
    },
    async close() {},
  };
}

const COLUMN_COUNT = 17;
const count = async () => Number((await handle.db.selectFrom('audit').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

function rows(n: number): AuditRow[] {
  const now = Date.now();
  return Array.from({ length: n }, () => ({
    id: auditId(now), time: new Date(now).toISOString(), user_id: null, api_key_id: 'k', endpoint: '/v1/chat/completions', requested_model: 'm', rule_id: null,
    backend: 'openai', target_id: 't', target_model: 'm', status: 200, duration_ms: 1, ttft_ms: null, tokens_in: 1, tokens_out: 2, hops: '[]', error: null,
  }));
}

function entry(): AuditEntry {
  return {
    user_id: null, api_key_id: 'k', endpoint: '/v1/chat/completions', requested_model: 'm', rule_id: null, backend: 'openai', target_id: 't',
    target_model: 'm', status: 200, duration_ms: 1, ttft_ms: null, tokens_in: 1, tokens_out: 2, hops: [], error: null,
  };
}

describe('audit repository: which connection writes a batch', () => {
  it('a batch under the threshold stays on the main connection, a larger one goes to the writer', async () => {
    const writer = fakeWriter();
    const repo = auditRepository(handle.db, writer);
    await repo.insertMany(rows(WRITER_MIN_ROWS - 1));
    expect(writer.batches).toEqual([]);
    await repo.insertMany(rows(WRITER_MIN_ROWS));
    expect(writer.batches).toEqual([WRITER_MIN_ROWS * COLUMN_COUNT]);
    expect(await count()).toBe(2 * WRITER_MIN_ROWS - 1);
  });

  it('`here` keeps even a large batch on the main connection', async () => {
    const writer = fakeWriter();
    await auditRepository(handle.db, writer).insertMany(rows(150), true);
    expect(writer.batches).toEqual([]);
    expect(await count()).toBe(150);
  });
});

describe('audit repository with a writer thread that fails', () => {
  it('writes the chunk on the main connection instead, once, even when the thread had committed it', async () => {
    // This writer commits the rows, then fails (a thread that died before it could answer).
    const writer: SqlWriter = {
      async run(sql, parameters) {
        await handle.db.executeQuery(CompiledQuery.raw(sql, [...parameters]));
        throw new Error('the SQLite writer thread stopped');
      },
      async close() {},
    };
    const repo = auditRepository(handle.db, writer);
    await repo.insertMany(rows(WRITER_MIN_ROWS));
    expect(await count()).toBe(WRITER_MIN_ROWS);
    // A thread that never writes anything: the rows still land.
    const broken: SqlWriter = { run: () => Promise.reject(new Error('could not start')), close: async () => {} };
    await auditRepository(handle.db, broken).insertMany(rows(WRITER_MIN_ROWS + 5));
    expect(await count()).toBe(2 * WRITER_MIN_ROWS + 5);
  });
});

describe('audit service with a writer thread that falls behind', () => {
  it('writes the backlog on the main connection, and every record lands', async () => {
    const writer = fakeWriter(300);
    const audit = createAuditService({ db: handle.db, writer, retentionDays: () => 30, batchSize: 200, flushIntervalMs: 60_000 });
    try {
      for (let i = 0; i < 250; i++) audit.record(entry()); // a full batch starts a write to the slow writer
      for (let i = 0; i < 1000; i++) audit.record(entry()); // meanwhile the queue grows past 4 batches
      await audit.flush();
      // 1250 records are six full batches and 50. The first went to the writer; when it was done
      // 1050 were queued (over 4 batches), so the next two were written here, then the writer took
      // the full batches again and the last 50 (a small batch) were written here.
      expect(writer.batches).toEqual(Array(4).fill(200 * COLUMN_COUNT));
      expect(await count()).toBe(1250);
      expect(audit.stats()).toEqual({ queued: 0, dropped: 0 });
    } finally {
      await audit.close();
    }
  });
});
