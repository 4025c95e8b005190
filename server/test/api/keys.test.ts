import { describe, expect, it } from 'vitest';
import { bearer, body, useAdminAndUser } from '../helpers/app.js';

interface Created {
  id: string;
  name: string;
  key: string;
  prefix: string;
}

describe('API keys and the /v1 gateway key check', () => {
  const s = useAdminAndUser();

  it('creates a key shown once, lists it without the secret, and /v1/models accepts it (Bearer and x-api-key)', async () => {
    const res = await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(s.user.token), payload: { name: '  laptop  ' } });
    expect(res.statusCode).toBe(201);
    const created = body<Created>(res);
    expect(created).toEqual({ id: expect.any(String), name: 'laptop', key: expect.stringMatching(/^mlxm_[A-Za-z0-9_-]{32}$/), prefix: created.key.slice(0, 13) });

    const list = await s.t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(s.user.token) });
    expect(body(list)).toEqual({ keys: [{ id: created.id, name: 'laptop', prefix: created.prefix, created_at: expect.any(String), last_used_at: null }] });
    expect(list.body).not.toContain(created.key);

    for (const headers of [bearer(created.key), { 'x-api-key': created.key }]) {
      const models = await s.t.app.inject({ method: 'GET', url: '/v1/models', headers });
      expect(models.statusCode).toBe(200);
      expect(body(models)).toEqual({ object: 'list', data: [] });
    }
    const after = await s.t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(s.user.token) });
    expect(body<{ keys: Array<{ last_used_at: string | null }> }>(after).keys[0]?.last_used_at).toEqual(expect.any(String));
  });

  it('a revoked key gets 401 in OpenAI shape', async () => {
    const created = body<Created>(await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(s.user.token), payload: { name: 'ci' } }));
    const del = await s.t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: bearer(s.user.token) });
    expect(del.statusCode).toBe(204);
    const res = await s.t.app.inject({ method: 'GET', url: '/v1/models', headers: bearer(created.key) });
    expect(res.statusCode).toBe(401);
    expect(body(res)).toEqual({ error: { message: 'Invalid API key', type: 'authentication_error', param: null, code: 'invalid_api_key', source: 'gateway' } });
  });

  it('/v1/models without a key or with junk is 401 in OpenAI shape; a session token counts like the cookie', async () => {
    expect((await s.t.app.inject({ method: 'GET', url: '/v1/models', headers: bearer(s.user.token) })).statusCode).toBe(200);
    for (const headers of [{}, bearer('mlxm_nope'), bearer(`${s.user.token}x`), { 'x-api-key': '' }]) {
      const res = await s.t.app.inject({ method: 'GET', url: '/v1/models', headers });
      expect(res.statusCode).toBe(401);
      expect(body<{ error: { type: string; code: string } }>(res).error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    }
  });

  it("keys are private: another user can neither list nor revoke them (404)", async () => {
    const created = body<Created>(await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(s.user.token), payload: { name: 'mine' } }));
    const theirs = await s.t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(s.admin.token) });
    expect(body(theirs)).toEqual({ keys: [] });
    const steal = await s.t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: bearer(s.admin.token) });
    expect(steal.statusCode).toBe(404);
    expect(body<{ error: { code: string } }>(steal).error.code).toBe('not_found');
    expect((await s.t.app.inject({ method: 'GET', url: '/v1/models', headers: bearer(created.key) })).statusCode).toBe(200);
  });

  it('a disabled owner’s keys stop working', async () => {
    const created = body<Created>(await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(s.user.token), payload: { name: 'k' } }));
    await s.t.app.inject({ method: 'PATCH', url: `/api/users/${s.user.id}`, headers: bearer(s.admin.token), payload: { status: 'disabled' } });
    expect((await s.t.app.inject({ method: 'GET', url: '/v1/models', headers: bearer(created.key) })).statusCode).toBe(401);
  });

  it('unknown /v1 paths are 404 in OpenAI shape', async () => {
    const res = await s.t.app.inject({ method: 'GET', url: '/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(body<{ error: { type: string } }>(res).error.type).toBe('not_found_error');
  });
});
