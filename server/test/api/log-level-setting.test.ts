// The log level set on the Settings page applies at once, without a restart; empty returns to
// the configured level.
import { logSink } from '../helpers/log-sink.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { adminAndUser, bearer, createTestApp, type TestApp } from '../helpers/app.js';

describe('log level setting [issue 9]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('switches request logging on and off live', async () => {
    const { sink, logged } = logSink();
    // Configured at "error": request lines (info) are not written.
    const app = await buildApp({ config: { ...t.config, log_level: 'error' }, services: t.services, version: '0', webRoot: null, logStream: sink });
    try {
      const { admin } = await adminAndUser(app);
      await app.inject({ method: 'GET', url: '/api/health?quiet' });
      expect(logged()).not.toContain('/api/health?quiet');

      const set = await app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(admin.token), payload: { log_level: 'info' } });
      expect(set.statusCode, set.body).toBe(200);
      await app.inject({ method: 'GET', url: '/api/health?loud' });
      expect(logged()).toContain('/api/health?loud');

      const bad = await app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(admin.token), payload: { log_level: 'chatty' } });
      expect(bad.statusCode).toBe(400);

      await app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(admin.token), payload: { log_level: '' } });
      expect(app.log.level).toBe('error');
      await app.inject({ method: 'GET', url: '/api/health?quiet-again' });
      expect(logged()).not.toContain('/api/health?quiet-again');
    } finally {
      await app.close();
    }
  });
});
