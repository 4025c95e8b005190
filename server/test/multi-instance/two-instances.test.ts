// Two real manager processes on one PostgreSQL database (each its own data folder): shared users,
// keys, providers, routes and settings; a change on one applies on the other within seconds;
// requests split over both leave every audit record. See docs/decisions/0002-shared-database-instances.md.
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, ExplainResult, Provider } from '@mlx-manager/contract';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeUpstream } from '../fixtures/fake-upstreams/index.js';
import { PASSWORD } from '../helpers/app.js';
import { databaseTargets } from '../helpers/databases.js';
import { startInstance, type InstanceProcess } from './instance-process.js';

const postgres = databaseTargets().find((t) => t.name === 'postgres')!;
/** The longest cache lifetime an edit may wait for on the other instance (10 s), plus slack. */
const PROPAGATION_LIMIT_MS = 12_000;

async function call<T>(base: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Polls `check` until it is true; returns how long that took. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not true within ${limitMs} ms`);
}

describe.skipIf(postgres.skipped)('two instances on one PostgreSQL database', () => {
  let a: InstanceProcess;
  let b: InstanceProcess;
  let upstream: FakeUpstream;
  let token: string;
  let key: string;
  let provider: Provider;

  beforeAll(async () => {
    if (postgres.unavailable) throw new Error(postgres.unavailable);
    const shared = {
      MLX_MANAGER_DATABASE_URL: (await postgres.create())!,
      MLX_MANAGER_MASTER_KEY: randomBytes(32).toString('hex'),
      MLX_MANAGER_JWT_SECRET: randomBytes(32).toString('hex'),
    };
    upstream = await startFakeOpenAI();
    // A first, so its migrations run before B starts (B then finds the schema current).
    a = await startInstance(shared);
    b = await startInstance(shared);
  }, 150_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await upstream?.close();
  });

  it('shares users, sessions and API keys: an admin registered on A logs in on B; A\'s key calls B', async () => {
    expect((await call(a.url, '/api/auth/register', { method: 'POST', body: { email: 'admin@example.com', password: PASSWORD } })).status).toBe(201);
    const login = await call<{ access_token: string; user: { is_admin: boolean } }>(b.url, '/api/auth/login', { method: 'POST', body: { email: 'admin@example.com', password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.user.is_admin).toBe(true);
    token = login.body.access_token;
    expect((await call(a.url, '/api/auth/me', { token })).status).toBe(200);
    const created = await call<{ key: string }>(a.url, '/api/keys', { method: 'POST', token, body: { name: 'shared' } });
    expect(created.status).toBe(201);
    key = created.body.key;
    expect((await call(b.url, '/v1/models', { token: key })).status).toBe(200);
  });

  it('a provider saved on A (key sealed with the shared master key) and a route added on A route on B', async () => {
    const saved = await call<Provider>(a.url, '/api/providers', { method: 'POST', token, body: { name: 'fake', kind: 'openai', base_url: upstream.baseURL, api_key: FAKE_OPENAI_KEY, models: ['gpt-fake'] } });
    expect(saved.status).toBe(201);
    provider = saved.body;
    expect((await call<Provider[]>(b.url, '/api/providers', { token })).status).toBe(200);
    // B has already answered for this name (nothing matches), so its cache holds the old rules.
    expect((await call<ExplainResult>(b.url, '/api/routes/explain', { method: 'POST', token, body: { model: 'shared-model' } })).body.matched).toBeNull();
    expect((await call(a.url, '/api/routes', { method: 'POST', token, body: { match: 'exact', pattern: 'shared-model', targets: [{ provider_id: provider.id, model: 'gpt-fake' }] } })).status).toBe(201);

    const clientB = new OpenAI({ baseURL: `${b.url}/v1`, apiKey: key, maxRetries: 0 });
    const waited = await within(PROPAGATION_LIMIT_MS, async () => {
      try {
        const answer = await clientB.chat.completions.create({ model: 'shared-model', messages: [{ role: 'user', content: 'hello from B' }] });
        return answer.choices[0]?.message.content === 'you said: hello from B';
      } catch {
        return false;
      }
    });
    expect(waited).toBeLessThan(PROPAGATION_LIMIT_MS);
  }, 30_000);

  it('a route added on B routes on A, and a setting changed on A applies on B', async () => {
    expect((await call(b.url, '/api/routes', { method: 'POST', token, body: { match: 'prefix', pattern: 'load-*', targets: [{ provider_id: provider.id, model: 'gpt-fake' }] } })).status).toBe(201);
    await within(PROPAGATION_LIMIT_MS, async () => (await call<ExplainResult>(a.url, '/api/routes/explain', { method: 'POST', token, body: { model: 'load-test' } })).body.matched?.kind === 'rule');

    expect((await call(b.url, '/v1/models')).status).toBe(401);
    expect((await call(a.url, '/api/settings', { method: 'PATCH', token, body: { v1_open_on_loopback: true } })).status).toBe(200);
    await within(PROPAGATION_LIMIT_MS, async () => (await call(b.url, '/v1/models')).status === 200);
    expect((await call(a.url, '/api/settings', { method: 'PATCH', token, body: { v1_open_on_loopback: false } })).status).toBe(200);
    await within(PROPAGATION_LIMIT_MS, async () => (await call(b.url, '/v1/models')).status === 401);
  }, 40_000);

  it('200 requests split over both instances leave exactly 200 audit records', async () => {
    const clients = [a, b].map((i) => new OpenAI({ baseURL: `${i.url}/v1`, apiKey: key, maxRetries: 0 }));
    let next = 0;
    const worker = async () => {
      while (next < 200) {
        const n = next++;
        const answer = await clients[n % 2]!.chat.completions.create({ model: 'load-test', messages: [{ role: 'user', content: `request ${n}` }] });
        expect(answer.choices[0]?.message.content).toBe(`you said: request ${n}`);
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));

    const count = async (): Promise<number> => {
      let total = 0;
      let cursor: string | null = null;
      do {
        const page: { status: number; body: AuditPage } = await call<AuditPage>(a.url, `/api/audit?model=load-test&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token });
        total += page.body.records.length;
        cursor = page.body.next_cursor;
      } while (cursor);
      return total;
    };
    await within(10_000, async () => (await count()) >= 200);
    await new Promise((r) => setTimeout(r, 1500)); // a late duplicate would show up by now
    expect(await count()).toBe(200);
    const records = (await call<AuditPage>(b.url, '/api/audit?model=load-test&limit=500', { token })).body.records;
    expect(records).toHaveLength(200);
    expect(new Set(records.map((r) => r.id)).size).toBe(200);
    expect(records.every((r) => r.status === 200 && r.target_id === provider.id)).toBe(true);
  }, 60_000);
});
