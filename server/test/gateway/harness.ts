// The real app on a real loopback socket (the official SDKs need one), with the fake engines
// installed under every engine's name, an admin and an API key. Each suite builds one and closes it.
import type { AddressInfo } from 'node:net';
import { AuditQuery, CreateProviderRequest, CreateRouteRequest, type AuditRecord, type CreateProfileRequest, type Profile, type Provider, type Route } from '@mlx-manager/contract';
import type { ConfigInput } from '../../src/config/schema.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { installFakeEngines } from '../fixtures/fake-engine/index.js';
import { freePort } from '../engines/helpers.js';

export interface GatewayHarness {
  ctx: AppContext;
  home: string;
  /** `http://127.0.0.1:<port>` of the app. */
  url: string;
  /** A gateway API key of the admin. */
  key: string;
  adminToken: string;
  createProfile(fields: Partial<CreateProfileRequest> & Pick<CreateProfileRequest, 'name' | 'engine' | 'model'>): Promise<Profile>;
  addProvider(fields: CreateProviderRequest): Promise<Provider>;
  addRoute(fields: CreateRouteRequest): Promise<Route>;
  /** Audit records written so far (the queue is flushed first), newest first. */
  audit(filter?: Record<string, string>): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

export async function startGatewayHarness(options: { venvBin?: string | null; config?: Partial<ConfigInput> } = {}): Promise<GatewayHarness> {
  const tmp = await tempHome();
  const bin = options.venvBin === undefined ? await installFakeEngines(tmp.home) : options.venvBin;
  const ctx = await createAppContext(testConfig(tmp.home, { default_port_start: await freePort(), ...options.config }), {
    logger: false,
    webRoot: null,
    engines: { venvBin: bin, pathEnv: '', stopGraceMs: 2000, metricsIntervalMs: 60_000 },
  });
  try {
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    await register(ctx.app, 'admin@example.com');
    const adminToken = (await login(ctx.app, 'admin@example.com')).token;
    const created = await ctx.app.inject({ method: 'POST', url: '/api/keys', headers: { authorization: `Bearer ${adminToken}` }, payload: { name: 'gateway tests' } });
    if (created.statusCode !== 201) throw new Error(`key creation failed: ${created.body}`);
    const key = created.json<{ key: string }>().key;
    const { port } = ctx.app.server.address() as AddressInfo;
    return {
      ctx,
      home: tmp.home,
      url: `http://127.0.0.1:${port}`,
      key,
      adminToken,
      async createProfile(fields) {
        const res = await ctx.app.inject({ method: 'POST', url: '/api/profiles', headers: { authorization: `Bearer ${adminToken}` }, payload: { port: await freePort(), ...fields } });
        if (res.statusCode !== 201) throw new Error(`profile creation failed: ${res.body}`);
        return res.json<Profile>();
      },
      addProvider: (fields) => ctx.services.providers.create(CreateProviderRequest.parse(fields)),
      addRoute: (fields) => ctx.services.routes.create(CreateRouteRequest.parse(fields)),
      async audit(filter = {}) {
        await ctx.services.audit.flush();
        return (await ctx.services.audit.query(AuditQuery.parse(filter), { id: 'admin', isAdmin: true })).records;
      },
      async close() {
        await ctx.close();
        await tmp.remove();
      },
    };
  } catch (err) {
    await ctx.close();
    await tmp.remove();
    throw err;
  }
}
