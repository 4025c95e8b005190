// Secrets never reach the logs: passwords, session tokens, cookies and API keys.
import { logSink } from '../helpers/log-sink.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createTestApp, PASSWORD, type TestApp } from '../helpers/app.js';

describe('request logging', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('logs requests at trace level without any credential', async () => {
    const { sink, logged } = logSink();
    const app = await buildApp({ config: { ...t.config, log_level: 'trace' }, services: t.services, version: '0', webRoot: null, logStream: sink });
    try {
      await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'log@example.com', password: PASSWORD } });
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'log@example.com', password: PASSWORD } });
      const token = login.json<{ access_token: string }>().access_token;
      const key = (await app.inject({ method: 'POST', url: '/api/keys', headers: { authorization: `Bearer ${token}` }, payload: { name: 'k' } })).json<{ key: string }>().key;
      await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `mlxm_session=${token}` } });
      await app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-api-key': key } });
      await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } });
      expect(logged()).toContain('/api/auth/login'); // the sink really received the request logs
      for (const secret of [PASSWORD, token, key, token.split('.')[2] ?? token]) expect(logged()).not.toContain(secret);
    } finally {
      await app.close();
    }
  });
});
