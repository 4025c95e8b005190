import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { ConfigInput } from '../../src/config/schema.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { tempHome, testConfig } from './config.js';

export interface TestApp extends AppContext {
  home: string;
  /** Closes the app and database and deletes the data folder. */
  dispose(): Promise<void>;
}

/** The real composition (database file, migrations, services, routes) in a temp folder, not listening. */
export async function createTestApp(overrides: Partial<ConfigInput> = {}, webRoot: string | null = null): Promise<TestApp> {
  const tmp = await tempHome();
  const ctx = await createAppContext(testConfig(tmp.home, overrides), { logger: false, webRoot });
  return {
    ...ctx,
    home: tmp.home,
    async dispose() {
      await ctx.close();
      await tmp.remove();
    },
  };
}

export type Json = Record<string, unknown>;

export function body<T = Json>(res: LightMyRequestResponse): T {
  return res.json<T>();
}

export const PASSWORD = 'correct horse battery';

/** Registers (if needed) and logs in; returns the bearer token and the session cookie. */
export async function login(app: AppContext['app'], email: string, password = PASSWORD): Promise<{ token: string; cookie: string; user: Json }> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'mlxm_session');
  const data = res.json<{ access_token: string; user: Json }>();
  return { token: data.access_token, cookie: cookie ? `${cookie.name}=${cookie.value}` : '', user: data.user };
}

export async function register(app: AppContext['app'], email: string, password = PASSWORD): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password } });
}

/** An admin (first user) and an approved second user, with their tokens. */
export async function adminAndUser(app: AppContext['app']): Promise<{ admin: { token: string; id: string }; user: { token: string; id: string } }> {
  await register(app, 'admin@example.com');
  const admin = await login(app, 'admin@example.com');
  const reg = await register(app, 'user@example.com');
  const userId = reg.json<{ user: { id: string } }>().user.id;
  const approve = await app.inject({
    method: 'PATCH',
    url: `/api/users/${userId}`,
    headers: { authorization: `Bearer ${admin.token}` },
    payload: { status: 'approved' },
  });
  if (approve.statusCode !== 200) throw new Error(`approve failed: ${approve.body}`);
  const user = await login(app, 'user@example.com');
  return { admin: { token: admin.token, id: String(admin.user.id) }, user: { token: user.token, id: userId } };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface AdminAndUserContext {
  t: TestApp;
  admin: { token: string; id: string };
  user: { token: string; id: string };
}

/**
 * Registers vitest hooks that build a fresh app with an admin and an approved user
 * (per test, or once per file with `'all'`) and dispose it; the returned object is filled in.
 */
export function useAdminAndUser(scope: 'each' | 'all' = 'each'): AdminAndUserContext {
  const ctx = {} as AdminAndUserContext;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    ctx.t = await createTestApp();
    Object.assign(ctx, await adminAndUser(ctx.t.app));
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await ctx.t.dispose();
  });
  return ctx;
}
