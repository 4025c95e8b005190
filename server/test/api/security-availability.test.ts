// Issue 7, availability: the login throttle cannot lock the real admin out, registration is bounded, slow requests time out.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, bearer, body, createTestApp, login, register, type TestApp } from '../helpers/app.js';

const attempt = (t: TestApp, email: string, password: string, extra: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, ...extra });

describe('login and registration throttles [issue 7]', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.dispose();
  });

  it('ten wrong passwords for the admin from one address do not lock the admin out from theirs', async () => {
    t = await createTestApp();
    await register(t.app, 'admin@example.com');
    for (let i = 0; i < 10; i++) await attempt(t, 'admin@example.com', 'wrong password', { remoteAddress: '203.0.113.7' });
    expect((await attempt(t, 'admin@example.com', 'wrong password', { remoteAddress: '203.0.113.7' })).statusCode).toBe(429);
    expect((await attempt(t, 'admin@example.com', PASSWORD, { remoteAddress: '198.51.100.2' })).statusCode).toBe(200);
  });

  it('thirty failures from one shared address (a proxy, loopback) do not lock everyone else behind it out', async () => {
    t = await createTestApp();
    await register(t.app, 'admin@example.com');
    for (let i = 0; i < 30; i++) expect((await attempt(t, `guess${i}@example.com`, 'wrong password')).statusCode).toBe(401);
    expect((await attempt(t, 'admin@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('trust_proxy on: the client address comes from X-Forwarded-For; off: the header is ignored', async () => {
    for (const trust of [true, false]) {
      t = await createTestApp({ trust_proxy: trust });
      await register(t.app, 'admin@example.com');
      for (let i = 0; i < 8; i++) await attempt(t, 'admin@example.com', 'wrong password', { headers: { 'x-forwarded-for': '203.0.113.7' } });
      const real = await attempt(t, 'admin@example.com', PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.2' } });
      expect(real.statusCode, `trust_proxy ${String(trust)}`).toBe(trust ? 200 : 429);
      await t.dispose();
    }
    t = await createTestApp(); // for afterEach
  });

  it('registration is throttled per address (429 with Retry-After)', async () => {
    t = await createTestApp();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await t.app.inject({ method: 'POST', url: '/api/auth/register', remoteAddress: '203.0.113.9', payload: { email: `r${i}@example.com`, password: PASSWORD } })).statusCode);
    expect(statuses).toEqual(Array(10).fill(201));
    const refused = await t.app.inject({ method: 'POST', url: '/api/auth/register', remoteAddress: '203.0.113.9', payload: { email: 'late@example.com', password: PASSWORD } });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // another address is not affected
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/register', remoteAddress: '203.0.113.10', payload: { email: 'other@example.com', password: PASSWORD } })).statusCode).toBe(201);
  });

  it('the admin can close registration (403 registration_closed), and pending accounts are capped', async () => {
    t = await createTestApp();
    await register(t.app, 'admin@example.com');
    const admin = await login(t.app, 'admin@example.com');
    await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(admin.token), payload: { max_pending_users: 2 } });
    expect((await register(t.app, 'p1@example.com')).statusCode).toBe(201);
    expect((await register(t.app, 'p2@example.com')).statusCode).toBe(201);
    const full = await register(t.app, 'p3@example.com');
    expect(full.statusCode).toBe(403);
    expect(body(full)).toEqual({ error: { code: 'registration_closed', message: 'Too many accounts are waiting for approval; try again later' } });

    await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(admin.token), payload: { registration_open: false, max_pending_users: 50 } });
    const closed = await register(t.app, 'p4@example.com');
    expect(closed.statusCode).toBe(403);
    expect(body<{ error: { code: string } }>(closed).error.code).toBe('registration_closed');
    expect((await t.app.inject({ method: 'GET', url: '/api/users/pending-count', headers: bearer(admin.token) })).json()).toEqual({ count: 2 });
  });
});

describe('slow requests [issue 7]', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.dispose();
  });

  it('a body that trickles in is cut off with 408 in the envelope', async () => {
    t = await createTestApp({ request_timeout_ms: 500 });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const response = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      const giveUp = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer within 10 s; got: ${text}`));
      }, 10_000);
      socket.on('connect', () => socket.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em'));
      socket.on('data', (d) => (text += d.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve(text);
      });
    });
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'request_timeout', message: 'The request did not arrive in time' } });
  });
});
