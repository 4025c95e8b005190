// A failure to write the audit log is said in the app's log, not swallowed: here a writer thread
// that cannot write — its batch still lands on the main connection, and the log says why.
import { AuditQuery } from '@mlx-manager/contract';
import { afterEach, describe, expect, it } from 'vitest';
import type { PackedAuditBatch } from '../../src/db/audit-batch.js';
import type { SqlWriter } from '../../src/db/sqlite-writer.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { tempHome, testConfig, type TempHome } from '../helpers/config.js';
import { logSink } from '../helpers/log-sink.js';

let home: TempHome | undefined;
let ctx: AppContext | undefined;

afterEach(async () => {
  await ctx?.close();
  await home?.remove();
  ctx = undefined;
  home = undefined;
});

describe('audit log write failures', () => {
  it('are logged (a repeated one once a minute), and the records are still written', async () => {
    home = await tempHome();
    const { sink, lines: logLines } = logSink();
    const broken: SqlWriter<PackedAuditBatch> = { run: () => Promise.reject(new Error('writer thread could not open the database')), close: async () => {} };
    ctx = await createAppContext(testConfig(home.home, { log_level: 'error' }), { webRoot: null, logStream: sink, gateway: { auditWriter: broken } });
    const audit = ctx.services.audit;
    for (const model of ['first', 'second']) {
      for (let i = 0; i < 150; i++) {
        audit.record({
          user_id: null, api_key_id: null, endpoint: '/v1/chat/completions', requested_model: model, rule_id: null, backend: null, target_id: null,
          target_model: null, status: 404, duration_ms: 0, ttft_ms: null, tokens_in: null, tokens_out: null, hops: [], error: 'no such model',
        });
      }
      await audit.flush(); // a batch of 150: for the writer thread, which refuses it
      const page = await audit.query(AuditQuery.parse({ model, limit: 200 }), { id: 'admin', isAdmin: true });
      expect(page.records).toHaveLength(150);
    }
    const lines = logLines().filter((l) => String(l.msg).startsWith('audit log: a write failed'));
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).toContain('writer thread could not open the database');
  });
});
