import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, bearer, body, createTestApp, login, register, type TestApp } from '../helpers/app.js';

describe('auth API [AUTH-01, AUTH-02]', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('/health answers without auth', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('first user becomes an approved admin; the second is pending and refused at login with 403', async () => {
    const first = await register(t.app, 'Admin@Example.com');
    expect(first.statusCode).toBe(201);
    expect(body(first)).toEqual({
      user: { id: expect.any(String), email: 'admin@example.com', is_admin: true, status: 'approved', created_at: expect.any(String), approved_at: expect.any(String) },
    });
    expect(first.body).not.toContain('password');

    const second = await register(t.app, 'second@example.com');
    expect(second.statusCode).toBe(201);
    expect(body<{ user: { status: string; is_admin: boolean } }>(second).user).toMatchObject({ status: 'pending', is_admin: false });

    const refused = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'second@example.com', password: PASSWORD } });
    expect(refused.statusCode).toBe(403);
    expect(body(refused)).toEqual({ error: { code: 'account_pending', message: expect.any(String) } });
  });

  it('duplicate registration is 409 conflict, case-insensitively', async () => {
    await register(t.app, 'a@example.com');
    const dup = await register(t.app, 'A@EXAMPLE.COM');
    expect(dup.statusCode).toBe(409);
    expect(body(dup)).toEqual({ error: { code: 'conflict', message: 'Email already registered' } });
  });

  it('login returns a bearer token and an httpOnly, SameSite=Lax session cookie on path /', async () => {
    await register(t.app, 'a@example.com');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@example.com', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const data = body<{ access_token: string; token_type: string; user: { email: string } }>(res);
    expect(data.token_type).toBe('bearer');
    expect(data.access_token.split('.')).toHaveLength(3);
    expect(data.user.email).toBe('a@example.com');
    const cookie = res.cookies.find((c) => c.name === 'mlxm_session');
    expect(cookie).toMatchObject({ value: data.access_token, httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 7 * 24 * 3600 });
  });

  it('wrong password and unknown email are the same 401', async () => {
    await register(t.app, 'a@example.com');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@example.com', password: 'not the password' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'who@example.com', password: 'not the password' } });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(body(res)).toEqual({ error: { code: 'invalid_credentials', message: 'Incorrect email or password' } });
    }
  });

  it('me works with the Bearer token and with the cookie alone; logout clears the cookie', async () => {
    await register(t.app, 'a@example.com');
    const { token, cookie } = await login(t.app, 'a@example.com');
    const viaBearer = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
    const viaCookie = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    for (const res of [viaBearer, viaCookie]) {
      expect(res.statusCode).toBe(200);
      expect(body<{ user: { email: string } }>(res).user.email).toBe('a@example.com');
    }
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'mlxm_session');
    expect(cleared?.value).toBe('');
  });

  it('me without credentials, with a forged token, or with garbage is 401 in the envelope', async () => {
    await register(t.app, 'a@example.com');
    const { token } = await login(t.app, 'a@example.com');
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const headers of [{}, bearer(forged), bearer('garbage'), { cookie: 'mlxm_session=nope' }, { authorization: 'Basic abc' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
      expect(res.statusCode).toBe(401);
      expect(body<{ error: { code: string } }>(res).error.code).toBe('unauthenticated');
    }
  });

  it('a disabled user is refused on the very next request with the same token', async () => {
    await register(t.app, 'admin@example.com');
    const admin = await login(t.app, 'admin@example.com');
    const reg = await register(t.app, 'u@example.com');
    const id = body<{ user: { id: string } }>(reg).user.id;
    await t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer(admin.token), payload: { status: 'approved' } });
    const user = await login(t.app, 'u@example.com');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(user.token) })).statusCode).toBe(200);
    await t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer(admin.token), payload: { status: 'disabled' } });
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(user.token) });
    expect(after.statusCode).toBe(401);
    expect(body<{ error: { code: string } }>(after).error.code).toBe('account_disabled');
    const relogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'u@example.com', password: PASSWORD } });
    expect(relogin.statusCode).toBe(403);
    expect(body<{ error: { code: string } }>(relogin).error.code).toBe('account_disabled');
  });

  it('rate-limits login failures per account with 429 and Retry-After, without blocking other accounts', async () => {
    await register(t.app, 'a@example.com');
    await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'b@example.com', password: PASSWORD } });
    let last = 0;
    for (let i = 0; i < 12; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@example.com', password: 'wrong password' } });
      last = res.statusCode;
      if (res.statusCode === 429) {
        expect(body(res)).toEqual({ error: { code: 'rate_limited', message: expect.any(String), details: { retry_after_seconds: expect.any(Number) } } });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        break;
      }
      expect(res.statusCode).toBe(401);
    }
    expect(last).toBe(429);
    // even the right password is refused while the account is throttled
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@example.com', password: PASSWORD } });
    expect(right.statusCode).toBe(429);
    // another account from the same address still gets through (failures count per account and address)
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'b@example.com', password: PASSWORD } });
    expect(other.statusCode).toBe(403); // pending, but not throttled
  });
});
