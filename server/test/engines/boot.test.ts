// The manager's lifecycle: start-on-boot profiles start when it starts, and closing it stops
// every engine it runs (the SIGTERM/SIGINT path of `serve` calls the same close).
import type { Profile } from '@mlx-manager/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/engines/process-tree.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { body, login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { installFakeEngines } from '../fixtures/fake-engine/index.js';
import { eventually, freePort } from './helpers.js';

let home: string;
let removeHome: () => Promise<void>;
let bin: string;

beforeAll(async () => {
  ({ home, remove: removeHome } = await tempHome());
  bin = await installFakeEngines(home);
});
afterAll(async () => removeHome());

async function open(portStart: number): Promise<AppContext> {
  return createAppContext(testConfig(home, { default_port_start: portStart }), { logger: false, webRoot: null, engines: { venvBin: bin, pathEnv: '', stopGraceMs: 1000 } });
}

describe('manager lifecycle', () => {
  it('starts start-on-boot profiles at boot and stops every engine on close', async () => {
    const portStart = await freePort();
    const first = await open(portStart);
    await register(first.app, 'admin@example.com');
    const headers = { authorization: `Bearer ${(await login(first.app, 'admin@example.com')).token}` };
    const create = (payload: Record<string, unknown>) => first.app.inject({ method: 'POST', url: '/api/profiles', headers, payload });
    const onBoot = body<Profile>(await create({ name: 'boot', engine: 'llama-server', model: '/m/boot.gguf', start_on_boot: true }));
    const manual = body<Profile>(await create({ name: 'manual', engine: 'mlx-lm', model: 'org/manual' }));
    expect(onBoot.start_on_boot).toBe(true);
    await first.close();

    const second = await open(portStart);
    let pid = 0;
    try {
      expect(await eventually(() => second.services.servers.list().then((l) => l.find((s) => s.profile_id === onBoot.id)?.state === 'ready'), 15_000)).toBe(true);
      const servers = await second.services.servers.list();
      pid = servers.find((s) => s.profile_id === onBoot.id)?.pid as number;
      expect(isAlive(pid)).toBe(true);
      expect(servers.find((s) => s.profile_id === manual.id)?.state).toBe('stopped');
    } finally {
      await second.close();
    }
    expect(isAlive(pid)).toBe(false);
  }, 60_000);
});
