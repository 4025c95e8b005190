import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SettingsResponse } from '@mlx-manager/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/main.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { adminAndUser, bearer, body } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { syntheticModelRepo } from './synthetic-model.js';

/*
 * The Settings page's hub token and endpoint apply to the next hub call, without a restart, and
 * win over HF_ENDPOINT / HF_TOKEN. Real SQLite file, real fake hub over HTTP.
 */

const TOKEN = 'hf_settingsTokenForTests1234';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  hub: FakeHub;
  home: string;
  ctx: AppContext;
  admin: Record<string, string>;
  user: Record<string, string>;
}

/** A server whose environment names a dead hub address and a wrong token. */
async function setup(): Promise<Setup> {
  const hub = await startFakeHub({
    token: TOKEN,
    repos: [syntheticModelRepo('mlx-community/Tiny-Llama-4bit', 1024), { ...syntheticModelRepo('meta-llama/Gated-Model', 1024), gated: true }],
  });
  const tmp = await tempHome();
  cleanups.push(() => hub.close(), () => tmp.remove());
  const ctx = await createAppContext(testConfig(tmp.home), {
    logger: false,
    webRoot: null,
    models: { hubEnv: { HF_HOME: join(tmp.home, 'hf'), HF_ENDPOINT: 'http://127.0.0.1:9/', HF_TOKEN: 'hf_fromTheEnvironment0000' } },
  });
  cleanups.push(() => ctx.close());
  const accounts = await adminAndUser(ctx.app);
  const admin = bearer(accounts.admin.token);
  const user = bearer(accounts.user.token);
  return { hub, home: tmp.home, ctx, admin, user };
}

interface SettingsAnswer {
  settings: Record<string, unknown>;
  hub: { endpoint: { value: string; source: string }; token: { set: boolean; hint: string; source: string }; cache_dir: string };
}

describe('hub token and endpoint in Settings [issue 9]', () => {
  it('only admins read or change them; the token is sealed in the SQLite file and never answered', async () => {
    const s = await setup();
    const patch = (payload: unknown, headers = s.admin) => s.ctx.app.inject({ method: 'PATCH', url: '/api/settings', headers, payload: payload as Record<string, unknown> });
    expect((await patch({ hf_token: TOKEN }, s.user)).statusCode).toBe(403);
    expect((await s.ctx.app.inject({ method: 'GET', url: '/api/settings', headers: s.user })).statusCode).toBe(403);

    const before = body<SettingsAnswer>(await s.ctx.app.inject({ method: 'GET', url: '/api/settings', headers: s.admin }));
    expect(before.settings).toMatchObject({ hf_token: '', hf_endpoint: '' });
    expect(before.hub).toEqual({
      endpoint: { value: 'http://127.0.0.1:9', source: 'environment' },
      token: { set: true, hint: 'hf_…0000', source: 'environment' },
      cache_dir: join(s.home, 'hf', 'hub'),
    });

    const res = await patch({ hf_token: TOKEN });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(TOKEN);
    // What the web app parses: the hint is not a valid token, and must not need to be.
    expect(SettingsResponse.safeParse(body(res)).success).toBe(true);
    const after = body<SettingsAnswer>(res);
    expect(after.settings.hf_token).toBe('hf_…1234');
    expect(after.hub.token).toEqual({ set: true, hint: 'hf_…1234', source: 'settings' });
    const read = await s.ctx.app.inject({ method: 'GET', url: '/api/settings', headers: s.admin });
    expect(read.body).not.toContain(TOKEN);

    // The database file and its write-ahead log hold the sealed form only.
    const file = Buffer.concat([await readFile(join(s.home, 'mlx-manager.db')), await readFile(join(s.home, 'mlx-manager.db-wal')).catch(() => Buffer.alloc(0))]);
    expect(file.includes(Buffer.from(TOKEN))).toBe(false);
    expect(file.includes(Buffer.from('"hf_token"'))).toBe(false);
    expect(/hf_token.{0,40}sb1:[0-9a-f]{8}:/s.test(file.toString('latin1'))).toBe(true);

    // Clearing (null or "") falls back to the environment's token.
    for (const cleared of [null, '']) {
      await patch({ hf_token: TOKEN });
      const back = body<SettingsAnswer>(await patch({ hf_token: cleared }));
      expect(back.settings.hf_token).toBe('');
      expect(back.hub.token).toEqual({ set: true, hint: 'hf_…0000', source: 'environment' });
    }
  });

  it('a bad endpoint or token is 400 in the error envelope and changes nothing', async () => {
    const s = await setup();
    for (const payload of [{ hf_endpoint: 'not a url' }, { hf_endpoint: 'ftp://mirror.example' }, { hf_endpoint: 'https://h.example/?x=1' }, { hf_token: 'hf_abc def' }, { hf_token: 'x'.repeat(600) }]) {
      const res = await s.ctx.app.inject({ method: 'PATCH', url: '/api/settings', headers: s.admin, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(body(res)).toMatchObject({ error: { code: 'validation_failed', details: [{ field: Object.keys(payload)[0] }] } });
    }
    expect(s.ctx.services.settings.get()).toMatchObject({ hf_endpoint: '', hf_token: '' });
  });

  it('a new endpoint applies to the next search, and a new token opens a gated repo, without a restart', async () => {
    const s = await setup();
    const search = () => s.ctx.app.inject({ method: 'GET', url: '/api/hub/search?q=Tiny', headers: s.user });
    const dead = await search();
    expect(dead.statusCode).toBe(503);

    const set = await s.ctx.app.inject({ method: 'PATCH', url: '/api/settings', headers: s.admin, payload: { hf_endpoint: `${s.hub.url}/` } });
    expect(body<SettingsAnswer>(set).hub.endpoint).toEqual({ value: s.hub.url, source: 'settings' });
    const found = await search();
    expect(found.statusCode).toBe(200);
    expect(JSON.stringify(body(found))).toContain('mlx-community/Tiny-Llama-4bit');
    expect(s.hub.stats.requests.some((r) => r.startsWith('GET /api/models?'))).toBe(true);

    // The environment's token is wrong: the gated repo is refused, with the way out in the answer.
    const gated = await s.ctx.app.inject({ method: 'GET', url: '/api/hub/models/meta-llama/Gated-Model', headers: s.user });
    expect(gated.statusCode).toBe(403);
    expect(body(gated)).toMatchObject({
      error: { code: 'forbidden', message: expect.stringMatching(/is gated: accept its terms on the hub and set a Hugging Face token in Settings/) as unknown as string, details: { cause: 'gated', settings: '/settings' } },
    });

    // The fake hub opens gated repos only for `Authorization: Bearer <its token>`.
    await s.ctx.app.inject({ method: 'PATCH', url: '/api/settings', headers: s.admin, payload: { hf_token: TOKEN } });
    const open = await s.ctx.app.inject({ method: 'GET', url: '/api/hub/models/meta-llama/Gated-Model', headers: s.user });
    expect(open.statusCode).toBe(200);
    expect(body(open)).toMatchObject({ id: 'meta-llama/Gated-Model' });
  });
});
