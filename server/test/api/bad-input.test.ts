// Bad input on every endpoint: always a 4xx in the /api envelope naming the field, never a 500.
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { bearer, useAdminAndUser } from '../helpers/app.js';

interface Envelope {
  error: { code: string; message: string; details?: Array<{ field: string; message: string }> };
}

function expectEnvelope(res: LightMyRequestResponse, status: number, code: string): Envelope {
  expect(res.statusCode, res.body).toBe(status);
  const parsed = res.json<Envelope>();
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error.code).toBe(code);
  expect(typeof parsed.error.message).toBe('string');
  return parsed;
}

function fields(e: Envelope): string[] {
  return (e.error.details ?? []).map((d) => d.field);
}

describe('bad input on every endpoint', () => {
  const s = useAdminAndUser('all');

  const huge = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(2 * 1024 * 1024) });

  const jsonEndpoints = (): Array<{ method: 'POST' | 'PATCH'; url: string; auth: Record<string, string> }> => [
    { method: 'POST', url: '/api/auth/register', auth: {} },
    { method: 'POST', url: '/api/auth/login', auth: {} },
    { method: 'PATCH', url: `/api/users/${s.user.id}`, auth: bearer(s.admin.token) },
    { method: 'POST', url: `/api/users/${s.user.id}/reset-password`, auth: bearer(s.admin.token) },
    { method: 'POST', url: '/api/keys', auth: bearer(s.user.token) },
  ];

  it('malformed JSON → 400 malformed_json, on every JSON endpoint', async () => {
    for (const e of jsonEndpoints()) {
      const res = await s.t.app.inject({ method: e.method, url: e.url, headers: { ...e.auth, 'content-type': 'application/json' }, payload: '{"email": "a@' });
      expectEnvelope(res, 400, 'malformed_json');
    }
  });

  it('oversize body (2 MiB) → 413 payload_too_large, on every JSON endpoint', async () => {
    for (const e of jsonEndpoints()) {
      const res = await s.t.app.inject({ method: e.method, url: e.url, headers: { ...e.auth, 'content-type': 'application/json' }, payload: huge });
      expectEnvelope(res, 413, 'payload_too_large');
    }
  });

  it('a non-JSON content type → 415; a JSON array or string body → 400 naming the body', async () => {
    for (const e of jsonEndpoints()) {
      const text = await s.t.app.inject({ method: e.method, url: e.url, headers: { ...e.auth, 'content-type': 'text/plain' }, payload: 'hello' });
      expectEnvelope(text, 415, 'unsupported_media_type');
      const arr = await s.t.app.inject({ method: e.method, url: e.url, headers: { ...e.auth, 'content-type': 'application/json' }, payload: '[1,2]' });
      expect(fields(expectEnvelope(arr, 400, 'validation_failed'))).toEqual(['body']);
    }
  });

  it('register/login: missing fields and wrong types name each field', async () => {
    for (const url of ['/api/auth/register', '/api/auth/login']) {
      const missing = await s.t.app.inject({ method: 'POST', url, payload: {} });
      expect(fields(expectEnvelope(missing, 400, 'validation_failed')).sort()).toEqual(['email', 'password']);
      const empty = await s.t.app.inject({ method: 'POST', url });
      expect(fields(expectEnvelope(empty, 400, 'validation_failed')).sort()).toEqual(['email', 'password']);
      const types = await s.t.app.inject({ method: 'POST', url, payload: { email: 5, password: true } });
      expect(fields(expectEnvelope(types, 400, 'validation_failed')).sort()).toEqual(['email', 'password']);
    }
    const short = await s.t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'ok@example.com', password: 'short' } });
    const e = expectEnvelope(short, 400, 'validation_failed');
    expect(e.error.details).toEqual([{ field: 'password', message: 'must be at least 8 characters' }]);
    expect(e.error.message).toContain('password');
  });

  it('SQL and HTML in strings are rejected as bad emails, or stored verbatim where free text is allowed', async () => {
    for (const email of [`x' OR '1'='1`, '<script>alert(1)</script>@x', "a@b.c'; DROP TABLE users;--"]) {
      const res = await s.t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: 'password123' } });
      expect(fields(expectEnvelope(res, 400, 'validation_failed'))).toEqual(['email']);
      const login = await s.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'password123' } });
      expectEnvelope(login, 400, 'validation_failed');
    }
    const name = `<img src=x onerror=alert(1)>'; DROP TABLE api_keys;--`;
    const res = await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(s.user.token), payload: { name } });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ name: string }>().name).toBe(name);
    const list = await s.t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(s.user.token) });
    expect(list.json<{ keys: Array<{ name: string }> }>().keys.map((k) => k.name)).toContain(name);
  });

  it('users: unknown fields, wrong types and bad enum values → 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ role: 'root' }, 'role'],
      [{ is_admin: 'yes' }, 'is_admin'],
      [{ status: 'superuser' }, 'status'],
      [{ email: 'not-an-email' }, 'email'],
    ];
    for (const [payload, field] of cases) {
      const res = await s.t.app.inject({ method: 'PATCH', url: `/api/users/${s.user.id}`, headers: bearer(s.admin.token), payload });
      expect(fields(expectEnvelope(res, 400, 'validation_failed'))).toEqual([field]);
    }
    const pw = await s.t.app.inject({ method: 'POST', url: `/api/users/${s.user.id}/reset-password`, headers: bearer(s.admin.token), payload: { password: 1234 } });
    expect(fields(expectEnvelope(pw, 400, 'validation_failed'))).toEqual(['password']);
  });

  it('unknown ids (including SQL-looking ones) → 404 not_found', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', "1' OR '1'='1", '%3Cscript%3E']) {
      const patch = await s.t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer(s.admin.token), payload: { status: 'approved' } });
      expectEnvelope(patch, 404, 'not_found');
      expectEnvelope(await s.t.app.inject({ method: 'DELETE', url: `/api/users/${id}`, headers: bearer(s.admin.token) }), 404, 'not_found');
      const reset = await s.t.app.inject({ method: 'POST', url: `/api/users/${id}/reset-password`, headers: bearer(s.admin.token), payload: { password: 'password123' } });
      expectEnvelope(reset, 404, 'not_found');
      expectEnvelope(await s.t.app.inject({ method: 'DELETE', url: `/api/keys/${id}`, headers: bearer(s.user.token) }), 404, 'not_found');
    }
  });

  it('keys: missing, empty, blank and too-long names → 400 naming `name`', async () => {
    for (const payload of [{}, { name: '' }, { name: '   ' }, { name: 'n'.repeat(101) }, { name: 42 }]) {
      const res = await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(s.user.token), payload });
      expect(fields(expectEnvelope(res, 400, 'validation_failed'))).toEqual(['name']);
    }
  });

  it('unknown /api paths → 404, a wrong method on a known path → 405 with Allow, in the envelope', async () => {
    expectEnvelope(await s.t.app.inject({ method: 'GET', url: '/api/nope' }), 404, 'not_found');
    expectEnvelope(await s.t.app.inject({ method: 'GET', url: '/api' }), 404, 'not_found');
    const wrongMethod = await s.t.app.inject({ method: 'PUT', url: '/api/auth/login', payload: {} });
    expectEnvelope(wrongMethod, 405, 'method_not_allowed');
    expect(wrongMethod.headers.allow).toBe('POST');
    expectEnvelope(await s.t.app.inject({ method: 'GET', url: '/api/../etc/passwd' }), 404, 'not_found');
  });
});
