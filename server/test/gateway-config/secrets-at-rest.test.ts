// Provider API keys never appear in clear: not in the data folder (SQLite file, WAL, anything
// else written there), not in any API answer, not in any log line — through saves, tests,
// gateway requests that succeed and fail, and a key rotation.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logSink } from '../helpers/log-sink.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/main.js';
import { adminAndUser, bearer } from '../helpers/app.js';
import { tempHome, testConfig, type TempHome } from '../helpers/config.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeUpstream } from '../fixtures/fake-upstreams/index.js';

const WRONG_KEY = 'sk-wrong-but-secret-9f8e7d6c5b4a';
const NEW_KEY = 'sk-replacement-secret-1a2b3c4d5e6f';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('provider keys at rest, in answers and in logs', () => {
  let tmp: TempHome;
  let ctx: AppContext;
  let upstream: FakeUpstream;
  const { sink, logged } = logSink();
  const answers: string[] = [];

  beforeAll(async () => {
    tmp = await tempHome();
    upstream = await startFakeOpenAI({ models: ['gpt-fake'] });
    ctx = await createAppContext(testConfig(tmp.home, { log_level: 'trace' }), { logger: true, logStream: sink, webRoot: null });
  });
  afterAll(async () => {
    await ctx.close();
    await upstream.close();
    await tmp.remove();
  });

  it('keeps every key out of the data folder, the answers and the logs', async () => {
    const { admin } = await adminAndUser(ctx.app);
    const auth = bearer(admin.token);
    const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>, headers = auth) => {
      const res = await ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      answers.push(`${method} ${url} ${res.statusCode} ${res.body}`);
      return res;
    };

    const good = (await call('POST', '/api/providers', { name: 'good', kind: 'openai', base_url: upstream.baseURL, api_key: FAKE_OPENAI_KEY })).json<{ id: string }>();
    const bad = (await call('POST', '/api/providers', { name: 'bad', kind: 'openai', base_url: upstream.baseURL, api_key: WRONG_KEY })).json<{ id: string }>();
    await call('GET', '/api/providers');
    await call('GET', `/api/providers/${good.id}`);
    expect((await call('POST', `/api/providers/${good.id}/test`)).json()).toMatchObject({ ok: true });
    expect((await call('POST', `/api/providers/${bad.id}/test`)).json()).toMatchObject({ ok: false, reason: 'unauthorized' });
    await call('POST', '/api/routes', { match: 'exact', pattern: 'gpt-fake', targets: [{ provider_id: good.id }] });
    await call('POST', '/api/routes', { match: 'exact', pattern: 'via-bad', targets: [{ provider_id: bad.id, model: 'gpt-fake' }] });
    await call('POST', '/api/routes/explain', { model: 'gpt-fake' });

    // Through the gateway: one request the provider accepts, one it refuses for the key.
    const key = (await call('POST', '/api/keys', { name: 'k' })).json<{ key: string }>().key;
    const v1 = { authorization: `Bearer ${key}` };
    const ok = await call('POST', '/v1/chat/completions', { model: 'gpt-fake', messages: [{ role: 'user', content: 'hello' }] }, v1);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(upstream.requests.some((r) => r.headers.authorization === `Bearer ${FAKE_OPENAI_KEY}`)).toBe(true);
    const refused = await call('POST', '/v1/chat/completions', { model: 'via-bad', messages: [{ role: 'user', content: 'hello' }] }, v1);
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    await call('GET', '/v1/models', undefined, v1);

    await call('PATCH', `/api/providers/${good.id}`, { api_key: NEW_KEY });
    await ctx.services.audit.flush();
    const audit = (await call('GET', '/api/audit?model=gpt-fake')).json<{ records: Array<{ backend: string; status: number; target_id: string }> }>();
    expect(audit.records[0]).toMatchObject({ backend: 'openai', status: 200, target_id: good.id }); // the data plane's record reached the log

    expect(logged()).toContain('/api/providers'); // the sink really received request logs
    expect(answers.join('\n')).toContain('sk-…'); // hints are shown…
    for (const secret of [FAKE_OPENAI_KEY, WRONG_KEY, NEW_KEY]) {
      expect(answers.join('\n'), 'an API answer').not.toContain(secret);
      expect(logged(), 'a log line').not.toContain(secret);
    }

    // Every file of the data folder, the SQLite database and its WAL included, byte for byte.
    const files = await filesUnder(tmp.home);
    expect(files.some((f) => f.endsWith('.db'))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const secret of [FAKE_OPENAI_KEY, WRONG_KEY, NEW_KEY]) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
    // …and the sealed value is really there (the check above is not vacuous).
    const row = await ctx.database.db.selectFrom('providers').select('api_key').where('id', '=', good.id).executeTakeFirstOrThrow();
    expect(row.api_key).toMatch(/^sb1:[0-9a-f]{8}:/);
    expect(ctx.services.secrets.open(row.api_key ?? '')).toBe(NEW_KEY);
  });
});
