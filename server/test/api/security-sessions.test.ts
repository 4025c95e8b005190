// Issue 7, sessions: one per-user session epoch ends tokens; token claims are strict; open streams end with their viewer.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_STREAMS_PER_USER } from '../../src/http/user-streams.js';
import { adminAndUser, bearer, createTestApp, login, type TestApp } from '../helpers/app.js';

const me = (t: TestApp, token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });

/** Resolves true when the streaming response ends within `ms`, false if it is still open. */
async function endsWithin(res: Response, ms: number): Promise<boolean> {
  if (!res.body) throw new Error('no body');
  const reader = res.body.getReader();
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([reader.read().catch(() => ({ done: true as const })), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
    if (chunk === null) break;
    if (chunk.done) return true;
  }
  await reader.cancel().catch(() => undefined);
  return false;
}

describe('session epoch [issue 7]', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('a token issued in the same second as a password reset is dead; the new password works', async () => {
    const { admin, user } = await adminAndUser(t.app);
    const fresh = await login(t.app, 'user@example.com'); // same second as the reset below
    const reset = await t.app.inject({ method: 'POST', url: `/api/users/${user.id}/reset-password`, headers: bearer(admin.token), payload: { password: 'a brand new password' } });
    expect(reset.statusCode).toBe(204);
    for (const token of [user.token, fresh.token]) expect((await me(t, token)).statusCode).toBe(401);
    expect((await me(t, (await login(t.app, 'user@example.com', 'a brand new password')).token)).statusCode).toBe(200);
  });

  it('re-enabling a disabled user does not revive the tokens issued before', async () => {
    const { admin, user } = await adminAndUser(t.app);
    for (const status of ['disabled', 'approved']) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: bearer(admin.token), payload: { status } });
      expect(res.statusCode).toBe(200);
    }
    expect((await me(t, user.token)).statusCode).toBe(401);
    expect((await me(t, (await login(t.app, 'user@example.com')).token)).statusCode).toBe(200);
  });

  it('promotion ends the old sessions too (the role is re-read, never trusted from an old token)', async () => {
    const { admin, user } = await adminAndUser(t.app);
    await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: bearer(admin.token), payload: { is_admin: true } });
    expect((await me(t, user.token)).statusCode).toBe(401);
    expect((await me(t, admin.token)).statusCode).toBe(200); // other users are untouched
  });

  it('logout ends the bearer token as well as the cookie; logout-all ends every session of the user', async () => {
    const { user } = await adminAndUser(t.app);
    const other = await login(t.app, 'user@example.com');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(user.token) });
    expect(out.statusCode).toBe(204);
    for (const token of [user.token, other.token]) expect((await me(t, token)).statusCode).toBe(401);

    const a = await login(t.app, 'user@example.com');
    const b = await login(t.app, 'user@example.com');
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: { cookie: a.cookie, origin: 'http://localhost' } })).statusCode).toBe(204);
    for (const token of [a.token, b.token]) expect((await me(t, token)).statusCode).toBe(401);
    // logging out without a session is harmless
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });

  it('refuses tokens signed with the real key but without exp, with a future iat, or older than 7 days', async () => {
    const { user } = await adminAndUser(t.app);
    const key = new TextEncoder().encode((await readFile(join(t.home, 'secrets', 'jwt.key'), 'utf8')).trim());
    const now = Math.floor(Date.now() / 1000);
    const forge = (build: (jwt: SignJWT) => SignJWT) => build(new SignJWT({ ep: 0 }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id)).sign(key);
    const good = await forge((j) => j.setIssuedAt(now).setExpirationTime(now + 3600));
    expect((await me(t, good)).statusCode).toBe(200); // the forgery recipe is right, so the refusals below are about the claims
    const refused = [
      await forge((j) => j.setIssuedAt(now)), // no exp: would never expire
      await forge((j) => j.setExpirationTime(now + 3600)), // no iat
      await forge((j) => j.setIssuedAt(now + 86_400).setExpirationTime(now + 90_000)), // issued tomorrow
      await forge((j) => j.setIssuedAt(now - 8 * 86_400).setExpirationTime(now + 86_400)), // older than a session lives
    ];
    for (const token of refused) expect((await me(t, token)).statusCode).toBe(401);
  });
});

describe('event streams end with their viewer [issue 7]', () => {
  let t: TestApp;
  let base: string;
  beforeEach(async () => {
    t = await createTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('an admin demoted while watching /api/events loses the stream at once', async () => {
    const { admin, user } = await adminAndUser(t.app);
    await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: bearer(admin.token), payload: { is_admin: true } });
    const second = await login(t.app, 'user@example.com');
    const stream = await fetch(`${base}/api/events`, { headers: bearer(admin.token) });
    expect(stream.status).toBe(200);
    const demote = await t.app.inject({ method: 'PATCH', url: `/api/users/${admin.id}`, headers: bearer(second.token), payload: { is_admin: false } });
    expect(demote.statusCode).toBe(200);
    expect(await endsWithin(stream, 3_000)).toBe(true);
  });

  it('a disabled user loses the stream; an unaffected user keeps theirs', async () => {
    const { admin, user } = await adminAndUser(t.app);
    const userStream = await fetch(`${base}/api/events`, { headers: bearer(user.token) });
    const adminStream = await fetch(`${base}/api/events`, { headers: bearer(admin.token) });
    await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: bearer(admin.token), payload: { status: 'disabled' } });
    expect(await endsWithin(userStream, 3_000)).toBe(true);
    expect(await endsWithin(adminStream, 300)).toBe(false);
  });

  it('a followed engine log ends when its viewer is logged out everywhere', async () => {
    const { user } = await adminAndUser(t.app);
    // The user's own profile: only its creator (or an admin) may read an engine's log.
    const created = await t.app.inject({ method: 'POST', url: '/api/profiles', headers: bearer(user.token), payload: { name: 'followed', engine: 'mlx-lm', model: 'org/m' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const logs = await fetch(`${base}/api/servers/${id}/logs?follow=true`, { headers: bearer(user.token) });
    expect(logs.status).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: bearer(user.token) })).statusCode).toBe(204);
    expect(await endsWithin(logs, 3_000)).toBe(true);
  });

  it(`caps open event streams per user at ${MAX_STREAMS_PER_USER} (429), and frees a slot when one closes`, async () => {
    const { user } = await adminAndUser(t.app);
    const aborts: AbortController[] = [];
    try {
      for (let i = 0; i < MAX_STREAMS_PER_USER; i++) {
        const ac = new AbortController();
        aborts.push(ac);
        expect((await fetch(`${base}/api/events`, { headers: bearer(user.token), signal: ac.signal })).status).toBe(200);
      }
      const refused = await fetch(`${base}/api/events`, { headers: bearer(user.token) });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
      aborts.shift()?.abort();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const ac = new AbortController();
        const res = await fetch(`${base}/api/events`, { headers: bearer(user.token), signal: ac.signal });
        status = res.status;
        if (status === 200) aborts.push(ac);
        else await res.body?.cancel();
      }
      expect(status).toBe(200);
    } finally {
      for (const ac of aborts) ac.abort();
    }
  });
});
