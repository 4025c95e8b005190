import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, body, createTestApp, login, register, type TestApp } from '../helpers/app.js';

describe('GET /api/auth/setup-status [issue 9]', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const status = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/setup-status' });
    expect(res.statusCode).toBe(200);
    return body(res);
  };

  it('answers without a session: a fresh install has no users and is open', async () => {
    expect(await status()).toEqual({ has_users: false, registration_open: true });
  });

  it('reports the first account and follows registration_open as the admin changes it', async () => {
    expect((await register(t.app, 'admin@example.com')).statusCode).toBe(201);
    expect(await status()).toEqual({ has_users: true, registration_open: true });

    const admin = await login(t.app, 'admin@example.com');
    const closed = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(admin.token), payload: { registration_open: false } });
    expect(closed.statusCode).toBe(200);
    expect(await status()).toEqual({ has_users: true, registration_open: false });
  });

  it('says registration is open on a fresh install even when the setting is closed (the first account is always accepted)', async () => {
    await t.services.settings.update({ registration_open: false });
    expect(await status()).toEqual({ has_users: false, registration_open: true });
  });

  it('answers only GET', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/setup-status', payload: {} });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});
