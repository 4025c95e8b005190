// Issue 7, hygiene: private files, same-origin unsafe requests, Fastify's own errors in the envelope, strict bodies, security headers.
import { createHash } from 'node:crypto';
import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/main.js';
import { bearer, body, createTestApp, login, register, useAdminAndUser, type TestApp } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';

/** Sends raw bytes to a listening app and resolves with everything it answers before closing. */
function rawExchange(t: TestApp, request: string): Promise<string> {
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within 5 s; got: ${text}`));
    }, 5_000);
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve(text);
    });
  });
}

function rawBody(response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

describe('private files [issue 7]', () => {
  it('the SQLite database and its -wal/-shm are 0600 and the secrets folder 0700, even in an existing world-readable folder', async () => {
    const tmp = await tempHome();
    const previous = process.umask(0o022);
    try {
      await chmod(tmp.home, 0o755);
      await mkdir(join(tmp.home, 'secrets'), { mode: 0o755 });
      await chmod(join(tmp.home, 'secrets'), 0o755);
      // The SQLite file by name (the PostgreSQL rerun of this suite too: file modes are SQLite's concern).
      const ctx = await createAppContext(testConfig(tmp.home, { database_url: join(tmp.home, 'mlx-manager.db') }), { logger: false, webRoot: null });
      try {
        await register(ctx.app, 'admin@example.com'); // a write, so the WAL exists
        for (const name of ['mlx-manager.db', 'mlx-manager.db-wal', 'mlx-manager.db-shm']) {
          expect(((await stat(join(tmp.home, name))).mode & 0o777).toString(8), name).toBe('600');
        }
        expect(((await stat(join(tmp.home, 'secrets'))).mode & 0o777).toString(8)).toBe('700');
      } finally {
        await ctx.close();
      }
    } finally {
      process.umask(previous);
      await tmp.remove();
    }
  });
});

describe('cookie-authenticated unsafe requests must come from this origin [issue 7]', () => {
  const s = useAdminAndUser('all');
  let cookie = '';
  const cookieFor = async () => (cookie ||= (await login(s.t.app, 'user@example.com')).cookie);

  it('another port of the same host cannot start a profile or create a key with the cookie, bodiless or not', async () => {
    const c = await cookieFor();
    const attempts = [
      { method: 'POST' as const, url: '/api/servers/some-profile/start', headers: { cookie: c, origin: 'http://localhost:9999' } },
      { method: 'POST' as const, url: '/api/servers/some-profile/stop', headers: { cookie: c, 'sec-fetch-site': 'same-site' } },
      { method: 'POST' as const, url: '/api/keys', headers: { cookie: c, origin: 'http://evil.example' }, payload: { name: 'stolen' } },
      { method: 'DELETE' as const, url: '/api/keys/whatever', headers: { cookie: c, origin: 'null' } },
    ];
    for (const req of attempts) {
      const res = await s.t.app.inject(req);
      expect(res.statusCode, req.url).toBe(403);
      expect(body(res)).toEqual({ error: { code: 'cross_origin', message: expect.stringContaining('Cross-origin') } });
    }
    const keys = await s.t.app.inject({ method: 'GET', url: '/api/keys', headers: { cookie: c } });
    expect(body<{ keys: unknown[] }>(keys).keys).toEqual([]);
  });

  it('the same origin, a browser navigation, a bearer token or an API client without Origin go through', async () => {
    const c = await cookieFor();
    const sameOrigin = await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: { cookie: c, origin: 'http://localhost' }, payload: { name: 'same-origin' } });
    expect(sameOrigin.statusCode).toBe(201);
    const fetchMeta = await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: { cookie: c, 'sec-fetch-site': 'same-origin', origin: 'http://localhost' }, payload: { name: 'fetch-meta' } });
    expect(fetchMeta.statusCode).toBe(201);
    const bearerCross = await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: { ...bearer(s.user.token), origin: 'http://localhost:9999' }, payload: { name: 'bearer' } });
    expect(bearerCross.statusCode).toBe(201);
    const noOrigin = await s.t.app.inject({ method: 'POST', url: '/api/keys', headers: { cookie: c }, payload: { name: 'curl' } });
    expect(noOrigin.statusCode).toBe(201);
  });
});

describe("Fastify's own errors speak the envelope [issue 7]", () => {
  const s = useAdminAndUser('all');

  it('an undecodable URL is 400 bad_request in the envelope, not FST_ERR_BAD_URL', async () => {
    const res = await s.t.app.inject({ method: 'DELETE', url: '/api/keys/%', headers: bearer(s.user.token) });
    expect(res.statusCode).toBe(400);
    expect(body(res)).toEqual({ error: { code: 'bad_request', message: expect.stringContaining('URL') } });
    expect(res.body).not.toContain('FST_');
  });

  it('/v1 errors keep the OpenAI shape (405 on a known path)', async () => {
    const res = await s.t.app.inject({ method: 'DELETE', url: '/v1/models' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toContain('GET');
    expect(body<{ error: { message: string; type: string } }>(res).error).toMatchObject({ message: expect.stringContaining('DELETE'), type: expect.any(String) });
  });

  it('oversized headers (431), an invalid Content-Length (400) answer the envelope on the wire', async () => {
    await s.t.app.listen({ host: '127.0.0.1', port: 0 });
    const big = await rawExchange(s.t, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(rawBody(big)).toEqual({ error: { code: 'headers_too_large', message: 'Request headers are too large' } });
    const badLength = await rawExchange(s.t, 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ten\r\n\r\n{}');
    expect(badLength).toMatch(/^HTTP\/1\.1 400 /);
    expect(rawBody(badLength)).toEqual({ error: { code: 'bad_request', message: 'Invalid Content-Length header' } });
  });

  it('unknown fields are refused naming the field: keys, register, login, reset-password', async () => {
    const cases = [
      { url: '/api/keys', headers: bearer(s.user.token), payload: { name: 'k', scopes: ['admin'] }, field: 'scopes' },
      { url: '/api/auth/register', headers: {}, payload: { email: 'n@example.com', password: 'long enough pw', is_admin: true }, field: 'is_admin' },
      { url: '/api/auth/login', headers: {}, payload: { email: 'user@example.com', password: 'whatever', remember: true }, field: 'remember' },
      { url: `/api/users/${s.user.id}/reset-password`, headers: bearer(s.admin.token), payload: { password: 'long enough pw', notify: true }, field: 'notify' },
    ];
    for (const c of cases) {
      const res = await s.t.app.inject({ method: 'POST', url: c.url, headers: c.headers, payload: c.payload });
      expect(res.statusCode, c.url).toBe(400);
      expect(body(res)).toMatchObject({ error: { code: 'validation_failed', details: [{ field: c.field, message: 'unknown field' }] } });
    }
  });
});

describe('security headers [issue 7]', () => {
  let t: TestApp | undefined;
  let webRoot: string | undefined;
  afterEach(async () => {
    await t?.dispose();
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
    t = undefined;
    webRoot = undefined;
  });

  const expectHardened = (headers: Record<string, unknown>, what: string) => {
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
    expect(String(headers['content-security-policy']), what).toContain("frame-ancestors 'none'");
  };

  it('every kind of response carries them: API answer, error, 404, 405, and the SPA with its inline script allowed by hash', async () => {
    const tmp = await tempHome();
    webRoot = tmp.home;
    const bootstrap = 'import("/_app/start.js").then((m) => m.start());';
    await writeFile(join(webRoot, 'index.html'), `<!doctype html><html><head></head><body><script>${bootstrap}</script></body></html>`);
    t = await createTestApp({}, webRoot);
    for (const url of ['/health', '/api/auth/me', '/api/nope', '/', '/users']) {
      expectHardened((await t.app.inject({ method: 'GET', url })).headers, url);
    }
    expectHardened((await t.app.inject({ method: 'DELETE', url: '/api/auth/login' })).headers, '405');
    const csp = String((await t.app.inject({ method: 'GET', url: '/' })).headers['content-security-policy']);
    const hash = createHash('sha256').update(bootstrap).digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).not.toContain("'unsafe-inline' 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('the session cookie is Secure behind a TLS proxy when trust_proxy is on, and only then', async () => {
    for (const trust of [true, false]) {
      t = await createTestApp({ trust_proxy: trust });
      await register(t.app, 'admin@example.com');
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { email: 'admin@example.com', password: 'correct horse battery' } });
      expect(res.cookies.find((c) => c.name === 'mlxm_session')?.secure ?? false, `trust_proxy ${String(trust)}`).toBe(trust);
      await t.dispose();
      t = undefined;
    }
  });
});
