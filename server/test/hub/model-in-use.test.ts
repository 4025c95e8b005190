// DELETE /api/models refuses while a running profile uses the model (the default in-use check:
// real supervisor, fake engine processes), and succeeds once the server is stopped.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/client.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { freePort } from '../engines/helpers.js';
import { installFakeEngines } from '../fixtures/fake-engine/index.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { syntheticModelRepo } from './synthetic-model.js';

let hub: FakeHub;
let client: HubClient;
let ctx: AppContext;
let headers: Record<string, string>;
let cleanup: () => Promise<void>;
const REPO = 'mlx-community/Tiny-Llama-4bit';

beforeAll(async () => {
  hub = await startFakeHub({ repos: [syntheticModelRepo(REPO, 50_000)] });
  client = new HubClient({ endpoint: hub.url });
  const tmp = await tempHome();
  cleanup = tmp.remove;
  const bin = await installFakeEngines(tmp.home);
  ctx = await createAppContext(testConfig(tmp.home, { default_port_start: await freePort() }), {
    logger: false,
    webRoot: null,
    models: { hub: { client, cacheDir: `${tmp.home}/hf`, offline: false, endpoint: hub.url } },
    engines: { venvBin: bin, pathEnv: '', stopGraceMs: 1000 },
  });
  await register(ctx.app, 'admin@example.com');
  headers = { authorization: `Bearer ${(await login(ctx.app, 'admin@example.com')).token}` };
});
afterAll(async () => {
  await ctx?.close();
  await client?.close();
  await hub?.close();
  await cleanup?.();
});

it('refuses to delete a model a running profile uses (409), deletes it once stopped', async () => {
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const done = new Promise<void>((resolve) => {
    const off = ctx.services.events.subscribe(({ event }) => {
      if (event.type === 'download.end') {
        off();
        resolve();
      }
    });
  });
  expect((await api('POST', '/api/downloads', { repo: REPO })).statusCode).toBe(201);
  await done;
  const profile = (await api('POST', '/api/profiles', { name: 'Tiny', engine: 'mlx-lm', model: REPO })).json<{ id: string }>();
  const started = await api('POST', `/api/servers/${profile.id}/start?wait=true`);
  expect(started.statusCode, started.body).toBe(200);

  const refused = await api('DELETE', `/api/models/${REPO}`);
  expect(refused.statusCode).toBe(409);
  expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/used by a running server/);

  expect((await api('POST', `/api/servers/${profile.id}/stop`)).statusCode).toBeLessThan(300);
  const deadline = Date.now() + 15_000;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await api('DELETE', `/api/models/${REPO}`)).statusCode;
    if (status !== 409) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe(204);
}, 60_000);
