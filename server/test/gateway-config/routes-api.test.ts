// Routes API on SQLite and PostgreSQL: CRUD, patterns and targets checked at save, explain,
// who may read and write, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../helpers/databases.js';
import { expectError, fieldsOf, gatewayApp, type GatewayApp } from './helpers.js';

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`routes API on ${target.name}`, () => {
    let g: GatewayApp;
    let providerId = '';
    let profileId = '';

    beforeAll(async () => {
      g = await gatewayApp(target);
      const provider = await g.app.inject({ method: 'POST', url: '/api/providers', headers: g.admin, payload: { name: 'cloud', kind: 'openai', base_url: 'http://127.0.0.1:9/v1', models: ['gpt-x'] } });
      providerId = provider.json<{ id: string }>().id;
      const profile = await g.app.inject({ method: 'POST', url: '/api/profiles', headers: g.admin, payload: { name: 'qwen-local', engine: 'mlx-lm', model: 'mlx-community/Qwen3-0.6B-4bit' } });
      expect(profile.statusCode, profile.body).toBe(201);
      profileId = profile.json<{ id: string }>().id;
    });
    afterAll(async () => {
      await g.dispose();
    });

    const post = (payload: unknown, headers = g.admin) => g.app.inject({ method: 'POST', url: '/api/routes', headers, payload: payload as Record<string, unknown> });
    const explain = async (model: string, headers = g.user) => {
      const res = await g.app.inject({ method: 'POST', url: '/api/routes/explain', headers, payload: { model } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ matched: { kind: string; via?: string; rule?: { id: string } } | null; targets: Array<Record<string, unknown>>; missing: string[] }>();
    };

    it('creates, reads, updates and deletes a rule; explain follows every change', async () => {
      const res = await post({ match: 'prefix', pattern: 'gpt-*', targets: [{ provider_id: providerId, model: 'gpt-x' }, { profile_id: profileId }] });
      expect(res.statusCode, res.body).toBe(201);
      const rule = res.json<{ id: string }>();
      expect(rule).toMatchObject({ match: 'prefix', pattern: 'gpt-*', priority: 0, enabled: true });

      const e1 = await explain('gpt-4o');
      expect(e1.matched).toMatchObject({ kind: 'rule', rule: { id: rule.id } });
      expect(e1.targets).toEqual([
        { kind: 'provider', provider_id: providerId, provider_name: 'cloud', model: 'gpt-x' },
        { kind: 'profile', profile_id: profileId, profile_name: 'qwen-local', upstream_model: null },
      ]);

      const patched = await g.app.inject({ method: 'PATCH', url: `/api/routes/${rule.id}`, headers: g.admin, payload: { enabled: false, priority: 3 } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ enabled: false, priority: 3, pattern: 'gpt-*' });
      expect((await explain('gpt-4o')).matched).toBeNull();

      const listed = await g.app.inject({ method: 'GET', url: '/api/routes', headers: g.user });
      expect(listed.json<{ routes: Array<{ id: string }> }>().routes.map((r) => r.id)).toContain(rule.id);
      expect((await g.app.inject({ method: 'GET', url: `/api/routes/${rule.id}`, headers: g.user })).json()).toMatchObject({ priority: 3 });

      expect((await g.app.inject({ method: 'DELETE', url: `/api/routes/${rule.id}`, headers: g.admin })).statusCode).toBe(204);
      expectError(await g.app.inject({ method: 'GET', url: `/api/routes/${rule.id}`, headers: g.admin }), 404, 'not_found');
    });

    it('explains implicit routes: profile names and the repo a profile serves', async () => {
      expect(await explain('qwen-local')).toMatchObject({ matched: { kind: 'implicit', via: 'profile_name' }, targets: [{ kind: 'profile', profile_id: profileId }] });
      expect(await explain('mlx-community/Qwen3-0.6B-4bit')).toMatchObject({ matched: { kind: 'implicit', via: 'repo_id' } });
      expect(await explain('unknown-model')).toEqual({ model: 'unknown-model', matched: null, targets: [], missing: [] });
    });

    it('a regex rule with priority wins over a profile name; a new profile is routable at once', async () => {
      const res = await post({ match: 'regex', pattern: 'qwen-.*', priority: 1, targets: [{ provider_id: providerId }] });
      expect(res.statusCode, res.body).toBe(201);
      expect(await explain('qwen-local')).toMatchObject({ matched: { kind: 'rule' }, targets: [{ kind: 'provider', model: 'qwen-local' }] });
      await g.app.inject({ method: 'DELETE', url: `/api/routes/${res.json<{ id: string }>().id}`, headers: g.admin });
      const fresh = await g.app.inject({ method: 'POST', url: '/api/profiles', headers: g.admin, payload: { name: 'brand-new', engine: 'mlx-lm', model: 'mlx-community/Other-4bit' } });
      expect(fresh.statusCode, fresh.body).toBe(201);
      expect((await explain('brand-new')).matched).toMatchObject({ kind: 'implicit' });
    });

    it('refuses invalid and catastrophic regexes, and targets that do not exist, with 400 naming the field', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ match: 'regex', pattern: '([a-z', targets: [{ provider_id: providerId }] }, 'pattern'],
        [{ match: 'regex', pattern: '(a+)+$', targets: [{ provider_id: providerId }] }, 'pattern'],
        [{ match: 'regex', pattern: '(x|xx)*y', targets: [{ provider_id: providerId }] }, 'pattern'],
        [{ match: 'exact', pattern: 'm', targets: [{ provider_id: 'no-such-provider' }] }, 'targets.0.provider_id'],
        [{ match: 'exact', pattern: 'm', targets: [{ provider_id: providerId }, { profile_id: 'no-such-profile' }] }, 'targets.1.profile_id'],
        [{ match: 'exact', pattern: 'm', targets: [] }, 'targets'],
        [{ match: 'glob', pattern: 'm', targets: [{ provider_id: providerId }] }, 'match'],
        [{ match: 'exact', pattern: 'm', targets: [{ provider_id: providerId, profile_id: profileId }] }, 'targets.0'],
        [{ match: 'exact', pattern: 'm', targets: [{ provider_id: providerId }], weight: 2 }, 'weight'],
        [{ match: 'exact', pattern: '', targets: [{ provider_id: providerId }] }, 'pattern'],
        [{ match: 'exact', pattern: 'm', priority: 1.5, targets: [{ provider_id: providerId }] }, 'priority'],
      ];
      for (const [payload, field] of cases) {
        const e = expectError(await post(payload), 400, 'validation_failed');
        expect(fieldsOf(e).join(' '), JSON.stringify(payload)).toContain(field);
      }
      const ok = await post({ match: 'exact', pattern: 'fine', targets: [{ provider_id: providerId }] });
      const id = ok.json<{ id: string }>().id;
      const e = expectError(await g.app.inject({ method: 'PATCH', url: `/api/routes/${id}`, headers: g.admin, payload: { match: 'regex', pattern: '(?=x)' } }), 400, 'validation_failed');
      expect(fieldsOf(e)).toEqual(['pattern']);
      expect((await g.app.inject({ method: 'GET', url: `/api/routes/${id}`, headers: g.admin })).json()).toMatchObject({ match: 'exact', pattern: 'fine' });
    });

    it('lets every user read and explain, only admins write', async () => {
      expect((await g.app.inject({ method: 'GET', url: '/api/routes', headers: g.user })).statusCode).toBe(200);
      expectError(await post({ match: 'exact', pattern: 'u', targets: [{ provider_id: providerId }] }, g.user), 403, 'forbidden');
      const some = (await g.app.inject({ method: 'GET', url: '/api/routes', headers: g.admin })).json<{ routes: Array<{ id: string }> }>().routes[0];
      expect(some).toBeDefined();
      expectError(await g.app.inject({ method: 'PATCH', url: `/api/routes/${some?.id}`, headers: g.user, payload: { priority: 9 } }), 403, 'forbidden');
      expectError(await g.app.inject({ method: 'DELETE', url: `/api/routes/${some?.id}`, headers: g.user }), 403, 'forbidden');
      expectError(await g.app.inject({ method: 'POST', url: '/api/routes/explain', payload: { model: 'x' } }), 401, 'unauthenticated');
    });

    it('answers bad input with 4xx, never a 500', async () => {
      expectError(await g.app.inject({ method: 'POST', url: '/api/routes', headers: { ...g.admin, 'content-type': 'application/json' }, payload: '{"match":' }), 400, 'malformed_json');
      expectError(await g.app.inject({ method: 'POST', url: '/api/routes/explain', headers: g.user, payload: { model: '' } }), 400, 'validation_failed');
      expectError(await g.app.inject({ method: 'POST', url: '/api/routes/explain', headers: g.user, payload: { model: 'x', extra: true } }), 400, 'validation_failed');
      expectError(await g.app.inject({ method: 'PATCH', url: '/api/routes/nope', headers: g.admin, payload: { priority: 1 } }), 404, 'not_found');
      expectError(await g.app.inject({ method: 'DELETE', url: '/api/routes/nope', headers: g.admin }), 404, 'not_found');
    });
  });
}
