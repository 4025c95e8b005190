// Providers API on SQLite and PostgreSQL: CRUD with a write-only key, SSRF checks at save and at
// test time, the connection test's reasons, admin-only access and bad input.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolveAll } from '../../src/gateway/ssrf.js';
import { databaseTargets } from '../helpers/databases.js';
import { FAKE_ANTHROPIC_KEY, FAKE_OPENAI_KEY, startFakeAnthropic, startFakeOpenAI, type FakeUpstream } from '../fixtures/fake-upstreams/index.js';
import { expectError, fieldsOf, gatewayApp, type GatewayApp } from './helpers.js';

/** Names tests use, resolved without any network. */
const fakeDns: ResolveAll = async (host) => {
  const table: Record<string, string> = { 'openai.test': '127.0.0.1', 'rebind.test': '169.254.169.254' };
  const address = table[host];
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`providers API on ${target.name}`, () => {
    let g: GatewayApp;
    let openai: FakeUpstream;
    let anthropic: FakeUpstream;
    let silent: Server;
    let silentPort = 0;
    let closedPort = 0;

    beforeAll(async () => {
      g = await gatewayApp(target, {}, { gateway: { resolveAll: fakeDns } });
      openai = await startFakeOpenAI({ models: ['gpt-fake', 'gpt-fake-mini'] });
      anthropic = await startFakeAnthropic();
      // Accepts connections and never answers: the timeout case.
      silent = createServer(() => undefined);
      silentPort = await listen(silent);
      const gone = createServer();
      closedPort = await listen(gone);
      await new Promise((resolve) => gone.close(resolve));
    });
    afterAll(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
      await openai.close();
      await anthropic.close();
      await g.dispose();
    });

    const post = (payload: unknown, headers = g.admin) => g.app.inject({ method: 'POST', url: '/api/providers', headers, payload: payload as Record<string, unknown> });
    const create = async (payload: Record<string, unknown>) => {
      const res = await post(payload);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; api_key_hint: string | null }>();
    };
    const test = async (id: string) => (await g.app.inject({ method: 'POST', url: `/api/providers/${id}/test`, headers: g.admin })).json<Record<string, unknown>>();

    it('creates, lists, updates and deletes; the key is write-only and shown as a hint', async () => {
      const res = await post({ name: 'OpenAI fake', kind: 'openai', base_url: `${openai.baseURL}/`, api_key: FAKE_OPENAI_KEY, models: ['gpt-fake', 'gpt-fake'] });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.body).not.toContain(FAKE_OPENAI_KEY);
      const created = res.json<Record<string, unknown>>();
      expect(created).toMatchObject({ name: 'OpenAI fake', kind: 'openai', base_url: openai.baseURL, api_key_hint: 'sk-…-key', models: ['gpt-fake'], timeouts: { connect_ms: null, ttft_ms: null, idle_ms: null, total_ms: null } });
      expect(created).not.toHaveProperty('api_key');

      const list = await g.app.inject({ method: 'GET', url: '/api/providers', headers: g.admin });
      expect(list.json<{ providers: unknown[] }>().providers).toHaveLength(1);
      expect(list.body).not.toContain(FAKE_OPENAI_KEY);

      const patched = await g.app.inject({ method: 'PATCH', url: `/api/providers/${String(created.id)}`, headers: g.admin, payload: { name: 'Renamed', timeouts: { ttft_ms: 2000 }, api_key: null } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ name: 'Renamed', api_key_hint: null, timeouts: { ttft_ms: 2000, total_ms: null } });

      const got = await g.app.inject({ method: 'GET', url: `/api/providers/${String(created.id)}`, headers: g.admin });
      expect(got.json()).toMatchObject({ name: 'Renamed', timeouts: { ttft_ms: 2000 } });

      expect((await g.app.inject({ method: 'DELETE', url: `/api/providers/${String(created.id)}`, headers: g.admin })).statusCode).toBe(204);
      expectError(await g.app.inject({ method: 'GET', url: `/api/providers/${String(created.id)}`, headers: g.admin }), 404, 'not_found');
    });

    it('refuses a second provider with the same name (409)', async () => {
      await create({ name: 'dup', kind: 'openai-compatible', base_url: 'http://127.0.0.1:1/v1' });
      expectError(await post({ name: 'dup', kind: 'openai-compatible', base_url: 'http://127.0.0.1:2/v1' }), 409, 'conflict');
    });

    it('lists the models of an OpenAI-style and an Anthropic provider', async () => {
      const o = await create({ name: 'o-ok', kind: 'openai', base_url: openai.baseURL, api_key: FAKE_OPENAI_KEY });
      expect(await test(o.id)).toMatchObject({ ok: true, models: ['gpt-fake', 'gpt-fake-mini'] });
      expect(openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
      const a = await create({ name: 'a-ok', kind: 'anthropic', base_url: anthropic.baseURL, api_key: FAKE_ANTHROPIC_KEY });
      const result = await test(a.id);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect((result.models as string[]).length).toBeGreaterThan(0);
      expect(anthropic.requests.at(-1)?.headers['x-api-key']).toBe(FAKE_ANTHROPIC_KEY);
      expect(anthropic.requests.at(-1)?.headers['anthropic-version']).toBe('2023-06-01');
      // through a name resolved by the guarded lookup
      const named = await create({ name: 'o-named', kind: 'openai', base_url: openai.baseURL.replace('127.0.0.1', 'openai.test'), api_key: FAKE_OPENAI_KEY });
      expect(await test(named.id)).toMatchObject({ ok: true });
    });

    it('says exactly why a test failed: 401, refused, TLS, timeout, DNS', async () => {
      const wrongKey = await create({ name: 't-401', kind: 'openai', base_url: openai.baseURL, api_key: 'sk-wrong-key-1234' });
      const unauthorized = await test(wrongKey.id);
      expect(unauthorized).toMatchObject({ ok: false, reason: 'unauthorized', status: 401 });
      expect(String(unauthorized.message)).not.toContain('sk-wrong-key-1234');

      const refused = await create({ name: 't-refused', kind: 'openai-compatible', base_url: `http://127.0.0.1:${closedPort}/v1` });
      expect(await test(refused.id)).toMatchObject({ ok: false, reason: 'refused' });

      const tls = await create({ name: 't-tls', kind: 'openai', base_url: `https://127.0.0.1:${openai.url.split(':').at(-1)}/v1` });
      expect(await test(tls.id)).toMatchObject({ ok: false, reason: 'tls' });

      const slow = await create({ name: 't-timeout', kind: 'openai-compatible', base_url: `http://127.0.0.1:${silentPort}/v1`, timeouts: { total_ms: 300 } });
      const slowResult = await test(slow.id);
      expect(slowResult, JSON.stringify(slowResult)).toMatchObject({ ok: false, reason: "timeout" });

      // A name that does not resolve is accepted at save (offline) and reported by the test.
      const dns = await create({ name: 't-dns', kind: 'openai', base_url: 'https://nowhere.test/v1' });
      expect(await test(dns.id)).toMatchObject({ ok: false, reason: 'dns' });
    });

    it('refuses metadata and link-local base URLs at save, and a name rebound to metadata at test time', async () => {
      for (const base_url of ['http://169.254.169.254/latest', 'http://metadata.google.internal/v1', 'http://[fd00:ec2::254]/v1', 'http://169.254.10.1/v1', 'http://rebind.test/v1']) {
        const e = expectError(await post({ name: `bad ${base_url}`, kind: 'openai-compatible', base_url }), 400, 'validation_failed');
        expect(fieldsOf(e)).toEqual(['base_url']);
      }
      // Saved while it pointed at loopback; at test time the policy forbids private addresses.
      const local = await create({ name: 'local-ollama', kind: 'openai-compatible', base_url: openai.baseURL });
      const off = await g.app.inject({ method: 'PATCH', url: '/api/settings', headers: g.admin, payload: { gateway_allow_private_upstreams: false } });
      expect(off.statusCode, off.body).toBe(200);
      try {
        expect(await test(local.id)).toMatchObject({ ok: false, reason: 'ssrf' });
        const e = expectError(await post({ name: 'lan', kind: 'openai-compatible', base_url: 'http://192.168.1.20:11434/v1' }), 400, 'validation_failed');
        expect(e.error.message).toMatch(/private/);
        expectError(await g.app.inject({ method: 'PATCH', url: `/api/providers/${local.id}`, headers: g.admin, payload: { base_url: 'http://10.0.0.2/v1' } }), 400, 'validation_failed');
      } finally {
        await g.app.inject({ method: 'PATCH', url: '/api/settings', headers: g.admin, payload: { gateway_allow_private_upstreams: true } });
      }
    });

    it('refuses deleting a provider a route uses (409), then allows it once the route is gone', async () => {
      const p = await create({ name: 'in-use', kind: 'openai-compatible', base_url: 'http://127.0.0.1:3/v1' });
      const route = await g.app.inject({ method: 'POST', url: '/api/routes', headers: g.admin, payload: { match: 'exact', pattern: 'in-use-model', targets: [{ provider_id: p.id }] } });
      expect(route.statusCode, route.body).toBe(201);
      const e = expectError(await g.app.inject({ method: 'DELETE', url: `/api/providers/${p.id}`, headers: g.admin }), 409, 'conflict');
      expect(e.error.message).toContain('in-use-model');
      await g.app.inject({ method: 'DELETE', url: `/api/routes/${route.json<{ id: string }>().id}`, headers: g.admin });
      expect((await g.app.inject({ method: 'DELETE', url: `/api/providers/${p.id}`, headers: g.admin })).statusCode).toBe(204);
    });

    it('is admin only, reads included', async () => {
      expectError(await g.app.inject({ method: 'GET', url: '/api/providers', headers: g.user }), 403, 'forbidden');
      expectError(await post({ name: 'x', kind: 'openai', base_url: 'https://example.test/v1' }, g.user), 403, 'forbidden');
      expectError(await g.app.inject({ method: 'GET', url: '/api/providers' }), 401, 'unauthenticated');
    });

    it('answers bad input with 4xx naming the field, never a 500', async () => {
      const malformed = await g.app.inject({ method: 'POST', url: '/api/providers', headers: { ...g.admin, 'content-type': 'application/json' }, payload: '{"name": "x' });
      expectError(malformed, 400, 'malformed_json');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: 'x', kind: 'openai', base_url: 'https://a.test/v1', extra: 1 }, 'extra'],
        [{ name: 'x', kind: 'azure', base_url: 'https://a.test/v1' }, 'kind'],
        [{ name: 'x', kind: 'openai', base_url: 'ftp://a.test/v1' }, 'base_url'],
        [{ name: 'x', kind: 'openai', base_url: 'https://user:pw@a.test/v1' }, 'base_url'],
        [{ name: 'x', kind: 'openai', base_url: 'https://a.test/v1?key=1' }, 'base_url'],
        [{ name: 'x', kind: 'openai', base_url: 'not a url' }, 'base_url'],
        [{ name: '', kind: 'openai', base_url: 'https://a.test/v1' }, 'name'],
        [{ name: 'x', kind: 'openai', base_url: 'https://a.test/v1', api_key: 42 }, 'api_key'],
        [{ name: 'x', kind: 'openai', base_url: 'https://a.test/v1', timeouts: { ttft_ms: -1 } }, 'timeouts.ttft_ms'],
        [{ name: 'x', kind: 'openai', base_url: 'https://a.test/v1', timeouts: { typo_ms: 1 } }, 'typo_ms'],
      ];
      for (const [payload, field] of cases) {
        const e = expectError(await post(payload), 400, 'validation_failed');
        expect(fieldsOf(e), JSON.stringify(payload)).toContain(field);
      }
      expectError(await g.app.inject({ method: 'PATCH', url: '/api/providers/nope', headers: g.admin, payload: { name: 'y' } }), 404, 'not_found');
      expectError(await g.app.inject({ method: 'PATCH', url: '/api/providers/nope', headers: g.admin, payload: { bogus: 1 } }), 400, 'validation_failed');
      expectError(await g.app.inject({ method: 'DELETE', url: '/api/providers/nope', headers: g.admin }), 404, 'not_found');
      expectError(await g.app.inject({ method: 'POST', url: '/api/providers/nope/test', headers: g.admin }), 404, 'not_found');
    });
  });
}
