import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { createAppContext, type AppContext, type StartOptions } from '../../src/main.js';
import { adminAndUser, bearer } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import type { DatabaseTarget } from '../helpers/databases.js';

export interface GatewayApp extends AppContext {
  home: string;
  admin: Record<string, string>;
  user: Record<string, string>;
  userId: string;
  adminId: string;
  dispose(): Promise<void>;
}

/** The whole app on one dialect, with an admin and an approved user (their bearer headers). */
export async function gatewayApp(target: DatabaseTarget, overrides: Partial<ConfigInput> = {}, opts: StartOptions = {}): Promise<GatewayApp> {
  if (target.unavailable) throw new Error(target.unavailable);
  const tmp = await tempHome();
  const config = testConfig(tmp.home, { database_url: await target.create(), ...overrides });
  const ctx = await createAppContext(config, { logger: false, webRoot: null, ...opts });
  const people = await adminAndUser(ctx.app);
  return {
    ...ctx,
    home: tmp.home,
    admin: bearer(people.admin.token),
    user: bearer(people.user.token),
    adminId: people.admin.id,
    userId: people.user.id,
    async dispose() {
      await ctx.close();
      await tmp.remove();
    },
  };
}

export interface Envelope {
  error: { code: string; message: string; details?: Array<{ field: string; message: string }> };
}

/** Asserts the /api error envelope with this status and code; returns it. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): Envelope {
  expect(res.statusCode, res.body).toBe(status);
  const parsed = res.json<Envelope>();
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error.code).toBe(code);
  return parsed;
}

export function fieldsOf(e: Envelope): string[] {
  return (e.error.details ?? []).map((d) => d.field);
}
