import { describe, expect, it } from 'vitest';
import { PASSWORD, bearer, body, login, register, useAdminAndUser } from '../helpers/app.js';

interface UserBody {
  user: { id: string; email: string; is_admin: boolean; status: string; approved_at: string | null };
}

describe('users API (admin) [AUTH-03..05]', () => {
  const s = useAdminAndUser();

  it('lists users newest first and counts pending ones', async () => {
    await register(s.t.app, 'pending@example.com');
    const list = await s.t.app.inject({ method: 'GET', url: '/api/users', headers: bearer(s.admin.token) });
    expect(list.statusCode).toBe(200);
    const users = body<{ users: Array<{ email: string; status: string }> }>(list).users;
    expect(users.map((u) => u.email)).toEqual(['pending@example.com', 'user@example.com', 'admin@example.com']);
    expect(list.body).not.toContain('password_hash');
    const count = await s.t.app.inject({ method: 'GET', url: '/api/users/pending-count', headers: bearer(s.admin.token) });
    expect(body(count)).toEqual({ count: 1 });
  });

  it('non-admins get 403 forbidden and anonymous callers 401 on every admin route', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/api/users'],
      ['GET', '/api/users/pending-count'],
      ['PATCH', `/api/users/${s.admin.id}`],
      ['DELETE', `/api/users/${s.admin.id}`],
      ['POST', `/api/users/${s.admin.id}/reset-password`],
    ];
    for (const [method, url] of routes) {
      const asUser = await s.t.app.inject({ method: method as 'GET', url, headers: bearer(s.user.token), payload: {} });
      expect(asUser.statusCode, `${method} ${url}`).toBe(403);
      expect(body<{ error: { code: string } }>(asUser).error.code).toBe('forbidden');
      const anon = await s.t.app.inject({ method: method as 'GET', url });
      expect(anon.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('approving stamps approved_at; promote and demote work while another admin remains', async () => {
    const reg = await register(s.t.app, 'third@example.com');
    const id = body<UserBody>(reg).user.id;
    const approved = await s.t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer(s.admin.token), payload: { status: 'approved' } });
    expect(approved.statusCode).toBe(200);
    expect(body<UserBody>(approved).user).toMatchObject({ status: 'approved', approved_at: expect.any(String) });
    const promoted = await s.t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer(s.admin.token), payload: { is_admin: true } });
    expect(body<UserBody>(promoted).user.is_admin).toBe(true);
    // now the original admin may step down
    const demoted = await s.t.app.inject({ method: 'PATCH', url: `/api/users/${s.admin.id}`, headers: bearer(s.admin.token), payload: { is_admin: false } });
    expect(demoted.statusCode).toBe(200);
    expect(body<UserBody>(demoted).user.is_admin).toBe(false);
    // and is no longer allowed in: a role change ends the sessions (issue 7)
    expect((await s.t.app.inject({ method: 'GET', url: '/api/users', headers: bearer(s.admin.token) })).statusCode).toBe(401);
  });

  it('the last active admin can never be demoted, disabled or deleted — by themselves or anyone (409 last_admin)', async () => {
    for (const payload of [{ is_admin: false }, { status: 'disabled' }, { status: 'pending' }]) {
      const res = await s.t.app.inject({ method: 'PATCH', url: `/api/users/${s.admin.id}`, headers: bearer(s.admin.token), payload });
      expect(res.statusCode).toBe(409);
      expect(body<{ error: { code: string } }>(res).error.code).toBe('last_admin');
    }
    const del = await s.t.app.inject({ method: 'DELETE', url: `/api/users/${s.admin.id}`, headers: bearer(s.admin.token) });
    expect(del.statusCode).toBe(409);
    expect(body<{ error: { code: string } }>(del).error.code).toBe('last_admin');
    // another admin who is disabled does not count as active
    const reg = await register(s.t.app, 'other-admin@example.com');
    const otherId = body<UserBody>(reg).user.id;
    await s.t.app.inject({ method: 'PATCH', url: `/api/users/${otherId}`, headers: bearer(s.admin.token), payload: { is_admin: true } });
    const stillLast = await s.t.app.inject({ method: 'PATCH', url: `/api/users/${s.admin.id}`, headers: bearer(s.admin.token), payload: { is_admin: false } });
    expect(stillLast.statusCode).toBe(409);
    const me = await s.t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(s.admin.token) });
    expect(body<UserBody>(me).user).toMatchObject({ is_admin: true, status: 'approved' });
  });

  it('deletes a user (and their keys) and resets a password', async () => {
    const key = await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(s.user.token), payload: { name: 'k' } });
    const secret = body<{ key: string }>(key).key;
    const reset = await s.t.app.inject({
      method: 'POST',
      url: `/api/users/${s.user.id}/reset-password`,
      headers: bearer(s.admin.token),
      payload: { password: 'brand new password' },
    });
    expect(reset.statusCode).toBe(204);
    const old = await s.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'user@example.com', password: PASSWORD } });
    expect(old.statusCode).toBe(401);
    await login(s.t.app, 'user@example.com', 'brand new password');

    const del = await s.t.app.inject({ method: 'DELETE', url: `/api/users/${s.user.id}`, headers: bearer(s.admin.token) });
    expect(del.statusCode).toBe(204);
    expect((await s.t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(s.user.token) })).statusCode).toBe(401);
    expect((await s.t.app.inject({ method: 'GET', url: '/v1/models', headers: bearer(secret) })).statusCode).toBe(401);
    const again = await s.t.app.inject({ method: 'DELETE', url: `/api/users/${s.user.id}`, headers: bearer(s.admin.token) });
    expect(again.statusCode).toBe(404);
  });

  it('a password reset ends the sessions opened before it', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // tokens carry whole seconds: step past the login's second
    const reset = await s.t.app.inject({
      method: 'POST',
      url: `/api/users/${s.user.id}/reset-password`,
      headers: bearer(s.admin.token),
      payload: { password: 'another password' },
    });
    expect(reset.statusCode).toBe(204);
    const old = await s.t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(s.user.token) });
    expect(old.statusCode).toBe(401);
    const fresh = await login(s.t.app, 'user@example.com', 'another password');
    expect((await s.t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(fresh.token) })).statusCode).toBe(200);
    // the admin's own session is untouched
    expect((await s.t.app.inject({ method: 'GET', url: '/api/users', headers: bearer(s.admin.token) })).statusCode).toBe(200);
  });

  it('changing an email to one already taken is 409', async () => {
    const res = await s.t.app.inject({ method: 'PATCH', url: `/api/users/${s.user.id}`, headers: bearer(s.admin.token), payload: { email: 'ADMIN@example.com' } });
    expect(res.statusCode).toBe(409);
    expect(body<{ error: { code: string } }>(res).error.code).toBe('conflict');
  });
});
