// Who may run what (issue 7): an approved non-admin can neither make the server run code of
// their choosing nor read or wipe what an admin configured. Real app, real SQLite file, engines
// spawned by the real supervisor (the fake engine behind a custom `sh -c` template, as an admin
// would write one).
import { existsSync, readFileSync } from 'node:fs';
import { logSink } from '../helpers/log-sink.js';
import path from 'node:path';
import { MASKED_SECRET, type Profile, type Server, type SystemInfo } from '@mlx-manager/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../src/db/connect.js';
import { downloadsRepository } from '../../src/db/repositories/downloads.js';
import { profilesRepository } from '../../src/db/repositories/profiles.js';
import { buildApp } from '../../src/http/app.js';
import { createAppContext, type AppContext } from '../../src/main.js';
import { canSee, createEventBus, type BusMessage } from '../../src/services/event-bus.js';
import { createProfilesService } from '../../src/services/profiles.js';
import { adminAndUser, bearer, body, login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { FAKE_ENGINE, installFakeEngines } from '../fixtures/fake-engine/index.js';
import { freePort } from '../engines/helpers.js';

let ctx: AppContext;
let home: string;
let removeHome: () => Promise<void>;
let admin: Record<string, string>;
let user: Record<string, string>;
let userId: string;

/** The manager's own environment holds secrets no engine may see. */
const MANAGER_SECRETS = {
  OPENAI_API_KEY: 'sk-openai-manager-secret',
  ANTHROPIC_API_KEY: 'sk-ant-manager-secret',
  AWS_SECRET_ACCESS_KEY: 'aws-manager-secret',
  MLX_MANAGER_TEST_SECRET: 'mlxm-manager-secret',
};

beforeAll(async () => {
  Object.assign(process.env, MANAGER_SECRETS);
  const tmp = await tempHome();
  home = tmp.home;
  removeHome = tmp.remove;
  const bin = await installFakeEngines(home);
  ctx = await createAppContext(testConfig(home, { default_port_start: await freePort() }), {
    logger: false,
    webRoot: null,
    engines: { venvBin: bin, pathEnv: '', stopGraceMs: 1000, metricsIntervalMs: 60_000 },
  });
  const who = await adminAndUser(ctx.app);
  admin = bearer(who.admin.token);
  user = bearer(who.user.token);
  userId = who.user.id;
});

afterAll(async () => {
  for (const k of Object.keys(MANAGER_SECRETS)) delete process.env[k];
  await ctx.close();
  await removeHome();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (headers: Record<string, string>, method: Method, url: string, payload?: unknown) =>
  ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

/** A stream for the app's log lines, and what it received so far. */
let seq = 0;
/** An admin's custom profile: the fake engine behind an `sh -c` template holding `{model}`. */
async function adminCustomProfile(script = 'echo serving {model}', env: Record<string, string> = {}): Promise<Profile> {
  seq++;
  const command = ['/bin/sh', '-c', `${script}; exec "${process.execPath}" "${FAKE_ENGINE}" --model {model} --host {host} --port {port}`];
  const res = await call(admin, 'POST', '/api/profiles', { name: `custom ${seq}`, engine: 'custom', model: 'org/tiny', command, env: { FAKE_ENGINE_KIND: 'custom', ...env } });
  expect(res.statusCode).toBe(201);
  return body<Profile>(res);
}

async function create(headers: Record<string, string>, fields: Record<string, unknown>): Promise<Profile> {
  seq++;
  const res = await call(headers, 'POST', '/api/profiles', { name: `p ${seq}`, engine: 'mlx-lm', model: 'org/m', ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return body<Profile>(res);
}

const errorOf = (res: { json: () => unknown }) => (res.json() as { error: { code: string; message: string } }).error;

describe('an injected model never runs', () => {
  it("refuses a shell command as model on an admin's custom profile, at write and at start", async () => {
    const marker = path.join(home, 'pwned');
    const p = await adminCustomProfile();
    const injected = await call(user, 'PATCH', `/api/profiles/${p.id}`, { model: `/x; touch ${marker}` });
    expect(injected.statusCode).toBe(400);
    expect(errorOf(injected).message).toMatch(/model/);
    // Even a harmless model: the profile is not the user's, and it runs an admin's program.
    expect((await call(user, 'PATCH', `/api/profiles/${p.id}`, { model: '/x' })).statusCode).toBe(403);
    expect((await call(admin, 'PATCH', `/api/profiles/${p.id}`, { model: `/x; touch ${marker}` })).statusCode).toBe(400);
    expect((await call(admin, 'PATCH', `/api/profiles/${p.id}`, { model: '-rf' })).statusCode).toBe(400);

    // A row from before the rule, with the injection stored: starting it is refused, nothing spawns.
    const repo = profilesRepository(ctx.database.db);
    const row = await repo.findById(p.id);
    await repo.replace({ ...row!, model: `/x; touch ${marker}` });
    const start = await call(user, 'POST', `/api/servers/${p.id}/start?wait=true`);
    expect(start.statusCode).toBe(400);
    expect(errorOf(start).message).toMatch(/cannot start/);
    expect(existsSync(marker)).toBe(false);
    expect(body<{ state: string }>(await call(user, 'GET', `/api/servers/${p.id}`)).state).toBe('stopped');
  });

  it('still lets every approved user start and stop profiles', async () => {
    const p = await adminCustomProfile();
    const started = await call(user, 'POST', `/api/servers/${p.id}/start?wait=true`);
    expect(started.statusCode, started.body).toBe(200);
    expect(body<{ state: string }>(started).state).toBe('ready');
    expect(body<{ state: string }>(await call(user, 'POST', `/api/servers/${p.id}/stop`)).state).toBe('stopped');
  });
});

describe('program fields are admin-only whatever their value', () => {
  it("refuses a non-admin wiping an admin's env with {} or extra_args with []", async () => {
    const p = await create(admin, { env: { HF_TOKEN: 'hf_admin' }, extra_args: ['--log-level', 'DEBUG'] });
    expect((await call(user, 'PATCH', `/api/profiles/${p.id}`, { env: {} })).statusCode).toBe(403);
    expect((await call(user, 'PATCH', `/api/profiles/${p.id}`, { extra_args: [] })).statusCode).toBe(403);
    expect(body<Profile>(await call(admin, 'GET', `/api/profiles/${p.id}`))).toMatchObject({ env: { HF_TOKEN: 'hf_admin' }, extra_args: ['--log-level', 'DEBUG'] });
  });

  it("refuses switching an admin's custom profile to another engine (its command and env would stay)", async () => {
    const p = await adminCustomProfile();
    const res = await call(user, 'PATCH', `/api/profiles/${p.id}`, { engine: 'mlx-lm', command: [] });
    expect(res.statusCode).toBe(403);
    expect(body<Profile>(await call(admin, 'GET', `/api/profiles/${p.id}`)).engine).toBe('custom');
  });

  it.each([
    ['trust_remote_code', { trust_remote_code: true }],
    ['chat_template_file', { chat_template_file: '/tmp/t.jinja' }],
    ['a host other than loopback', { host: '0.0.0.0' }],
    ['executable', { executable: '/tmp/x' }],
    ['env', { env: { LD_PRELOAD: '/tmp/x.so' } }],
    ['a custom engine', { engine: 'custom', command: ['/bin/true'] }],
  ])('refuses %s from a non-admin, on create and on their own profile', async (label, fields) => {
    const created = await call(user, 'POST', '/api/profiles', { name: `user ${label}`, engine: 'mlx-lm', model: 'org/m', ...fields });
    expect(created.statusCode).toBe(403);
    expect(errorOf(created).message).toContain(label);
    const own = await create(user, {});
    expect((await call(user, 'PATCH', `/api/profiles/${own.id}`, fields)).statusCode).toBe(403);
  });

  it('accepts the harmless defaults a form sends back unchanged', async () => {
    const own = await create(user, { env: {}, extra_args: [], trust_remote_code: false, executable: null, host: '127.0.0.1' });
    const res = await call(user, 'PATCH', `/api/profiles/${own.id}`, { description: 'edited', env: {}, extra_args: [], trust_remote_code: false, chat_template_file: null, host: 'localhost' });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('lets an admin set all of them', async () => {
    const p = await create(admin, { trust_remote_code: true, chat_template_file: '/tmp/t.jinja', host: '0.0.0.0', env: { A: 'b' } });
    expect(p).toMatchObject({ trust_remote_code: true, host: '0.0.0.0', created_by: expect.any(String) });
  });
});

describe('owners', () => {
  it('lets a non-admin edit, duplicate and delete only their own profiles', async () => {
    const own = await create(user, {});
    expect(own.created_by).toBe(userId);
    expect((await call(user, 'PATCH', `/api/profiles/${own.id}`, { description: 'mine' })).statusCode).toBe(200);
    const copy = await call(user, 'POST', `/api/profiles/${own.id}/duplicate`, {});
    expect(copy.statusCode).toBe(201);
    expect(body<Profile>(copy).created_by).toBe(userId);
    expect((await call(user, 'DELETE', `/api/profiles/${body<Profile>(copy).id}`)).statusCode).toBe(204);

    const theirs = await create(admin, {});
    expect((await call(user, 'PATCH', `/api/profiles/${theirs.id}`, { description: 'not mine' })).statusCode).toBe(403);
    expect((await call(user, 'POST', `/api/profiles/${theirs.id}/duplicate`, {})).statusCode).toBe(403);
    expect((await call(user, 'DELETE', `/api/profiles/${theirs.id}`)).statusCode).toBe(403);
    expect((await call(admin, 'PATCH', `/api/profiles/${own.id}`, { description: 'admin may' })).statusCode).toBe(200);
  });

  it('treats profiles from before owners were recorded as the admins', async () => {
    const p = await create(user, {});
    const repo = profilesRepository(ctx.database.db);
    await repo.replace({ ...(await repo.findById(p.id))!, created_by: null });
    expect((await call(user, 'DELETE', `/api/profiles/${p.id}`)).statusCode).toBe(403);
    expect((await call(admin, 'DELETE', `/api/profiles/${p.id}`)).statusCode).toBe(204);
  });
});

describe('hosts', () => {
  it('refuses a DNS name or an address of another machine with 400 at once', async () => {
    for (const host of ['example.invalid', '192.0.2.1']) {
      const res = await call(admin, 'POST', '/api/profiles', { name: `h ${host}`, engine: 'mlx-lm', model: 'org/m', host });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).message).toContain('host');
    }
    const p = await create(admin, {});
    expect((await call(admin, 'PATCH', `/api/profiles/${p.id}`, { host: 'example.invalid' })).statusCode).toBe(400);
    expect((await call(admin, 'PATCH', `/api/profiles/${p.id}`, { host: '::1' })).statusCode).toBe(200);
  });

  it('tries a bounded number of ports when assigning one', async () => {
    let tried = 0;
    const svc = createProfilesService({
      db: ctx.database.db, events: createEventBus(), secrets: ctx.services.secrets, defaultPortStart: 10_000,
      isPortFree: async () => (tried++, false),
    });
    await expect(svc.create({ name: 'no port', engine: 'mlx-lm', model: 'org/m' }, { id: 'a', isAdmin: true })).rejects.toMatchObject({ code: 'conflict' });
    expect(tried).toBeGreaterThan(0);
    expect(tried).toBeLessThanOrEqual(200);
  });
});

describe('profile secrets', () => {
  it('masks env values and extra arguments for non-admins, keeps the keys', async () => {
    const p = await create(admin, { env: { HF_TOKEN: 'hf_visible_to_admin' }, extra_args: ['--api-key', 'sk-visible-to-admin'] });
    const one = body<Profile>(await call(user, 'GET', `/api/profiles/${p.id}`));
    expect(one.env).toEqual({ HF_TOKEN: MASKED_SECRET });
    expect(one.extra_args).toEqual([MASKED_SECRET, MASKED_SECRET]);
    const listed = await call(user, 'GET', '/api/profiles');
    expect(listed.body).not.toMatch(/hf_visible_to_admin|sk-visible-to-admin/);
    expect(body<Profile>(await call(admin, 'GET', `/api/profiles/${p.id}`)).env).toEqual({ HF_TOKEN: 'hf_visible_to_admin' });
  });

  it('never stores them in clear in the database (SQLite file, or the PostgreSQL rows)', async () => {
    await create(admin, { env: { HF_TOKEN: 'hf_must_not_be_on_disk' }, extra_args: ['--api-key', 'sk-must-not-be-on-disk'] });
    let raw: string;
    if (ctx.database.dialect === 'postgres') {
      raw = JSON.stringify((await sql`select * from profiles`.execute(ctx.database.db)).rows);
    } else {
      const files = [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`].map((f) => path.join(home, f)).filter((f) => existsSync(f));
      expect(files.length).toBeGreaterThan(0);
      raw = files.map((f) => readFileSync(f).toString('latin1')).join('');
    }
    expect(raw).toContain('HF_TOKEN'); // the file really holds the profile (names stay readable)
    expect(raw).not.toContain('hf_must_not_be_on_disk');
    expect(raw).not.toContain('sk-must-not-be-on-disk');
  });
});

describe('engine environment', () => {
  it("gives a spawned engine the allowlist and the profile's env, none of the manager's secrets", async () => {
    const p = await adminCustomProfile('env', { SET_BY_ADMIN: 'visible' });
    expect((await call(admin, 'POST', `/api/servers/${p.id}/start?wait=true`)).statusCode).toBe(200);
    const lines = body<{ lines: string[] }>(await call(admin, 'GET', `/api/servers/${p.id}/logs?lines=500`)).lines;
    await call(admin, 'POST', `/api/servers/${p.id}/stop`);
    const printed = new Map(lines.map((l) => [l.split('=')[0] ?? '', l]));
    expect(printed.has('PATH')).toBe(true);
    expect(printed.get('SET_BY_ADMIN')).toBe('SET_BY_ADMIN=visible');
    for (const name of Object.keys(MANAGER_SECRETS)) expect(printed.has(name)).toBe(false);
    expect(lines.join('\n')).not.toMatch(/manager-secret/);
  });

  it('gives it the hub token, endpoint and cache of the Settings page, shown nowhere else', async () => {
    const token = 'hf_settingsTokenForEngines1234';
    const endpoint = 'https://mirror.example';
    const set = await call(admin, 'PATCH', '/api/settings', { hf_token: token, hf_endpoint: endpoint });
    expect(set.statusCode, set.body).toBe(200);
    const { sink, logged } = logSink();
    const app = await buildApp({ config: { ...ctx.config, log_level: 'debug' }, services: ctx.services, version: '0', webRoot: null, logStream: sink });
    try {
      const p = await adminCustomProfile('env');
      const get = (url: string) => app.inject({ method: 'GET', url, headers: admin });
      const started = await app.inject({ method: 'POST', url: `/api/servers/${p.id}/start?wait=true`, headers: admin });
      expect(started.statusCode, started.body).toBe(200);
      const lines = body<{ lines: string[] }>(await get(`/api/servers/${p.id}/logs?lines=500`)).lines;
      const answers = [started, await get(`/api/servers/${p.id}`), await get('/api/servers'), await get(`/api/profiles/${p.id}`), await get('/api/settings')];
      await app.inject({ method: 'POST', url: `/api/servers/${p.id}/stop`, headers: admin });
      const printed = new Map(lines.map((l) => [l.split('=')[0] ?? '', l]));
      expect(printed.get('HF_TOKEN')).toBe(`HF_TOKEN=${token}`);
      expect(printed.get('HF_ENDPOINT')).toBe(`HF_ENDPOINT=${endpoint}`);
      expect(printed.get('HF_HUB_CACHE')).toBe(`HF_HUB_CACHE=${ctx.services.hubInEffect().cache_dir}`);
      for (const res of answers) expect(res.statusCode).toBe(200);
      for (const res of answers) expect(res.body).not.toContain(token);
      expect(logged()).toContain(`/api/servers/${p.id}/start`); // the sink really received the requests
      expect(logged()).not.toContain(token);
    } finally {
      await app.close();
      await call(admin, 'PATCH', '/api/settings', { hf_token: '', hf_endpoint: '' });
    }
  });
});

/** One more approved non-admin user, with a bearer header. */
async function anotherUser(email: string): Promise<{ headers: Record<string, string>; id: string }> {
  const id = body<{ user: { id: string } }>(await register(ctx.app, email)).user.id;
  expect((await call(admin, 'PATCH', `/api/users/${id}`, { status: 'approved' })).statusCode).toBe(200);
  return { headers: bearer((await login(ctx.app, email)).token), id };
}

describe('engine output (a failure\'s last lines, the log)', () => {
  const excerptOf = (res: Awaited<ReturnType<typeof call>>) => body<Server>(res).log_excerpt;

  it("goes to admins only for an admin's profile, in answers, errors and events", async () => {
    const seen: BusMessage[] = [];
    const off = ctx.services.events.subscribe((m) => m.event.type === 'server.changed' && seen.push(m));
    const p = await adminCustomProfile('echo "engine-said-secret-1"; exit 1');
    const failed = await call(user, 'POST', `/api/servers/${p.id}/start?wait=true`);
    off();
    expect(failed.statusCode).toBe(502);
    expect(body<{ error: { details: { log_excerpt: string[] } } }>(failed).error.details.log_excerpt).toEqual([]);
    expect(failed.body).not.toContain('engine-said-secret-1');

    expect(excerptOf(await call(admin, 'GET', `/api/servers/${p.id}`))?.join('\n')).toContain('engine-said-secret-1');
    expect(excerptOf(await call(user, 'GET', `/api/servers/${p.id}`))).toBeNull();
    const listed = body<{ servers: Server[] }>(await call(user, 'GET', '/api/servers')).servers.find((x) => x.profile_id === p.id);
    expect(listed?.state).toBe('failed');
    expect(listed?.log_excerpt).toBeNull();
    expect((await call(user, 'GET', `/api/servers/${p.id}/logs`)).statusCode).toBe(403);
    expect((await call(user, 'GET', `/api/servers/${p.id}/logs?follow=true`)).statusCode).toBe(403);
    expect(body<{ lines: string[] }>(await call(admin, 'GET', `/api/servers/${p.id}/logs`)).lines.join('\n')).toContain('engine-said-secret-1');

    // The live events: each viewer gets one version of the failure, the user's without the lines.
    const version = (viewer: { id: string; isAdmin: boolean }) => seen.filter((m) => canSee(m.audience, viewer)).map((m) => JSON.stringify(m.event));
    const failures = (viewer: { id: string; isAdmin: boolean }) => version(viewer).filter((e) => e.includes('"state":"failed"'));
    expect(failures({ id: userId, isAdmin: false })).toHaveLength(1);
    expect(version({ id: userId, isAdmin: false }).join('')).not.toContain('engine-said-secret-1');
    expect(failures({ id: 'some-admin', isAdmin: true })).toHaveLength(1);
    expect(failures({ id: 'some-admin', isAdmin: true })[0]).toContain('engine-said-secret-1');
  });

  it("goes to the profile's creator and admins, not to another user", async () => {
    const other = await anotherUser('other@example.com');
    const own = await create(user, {});
    // An admin makes the creator's engine crash at start (env is an admin-only field); the creator stays the owner.
    expect((await call(admin, 'PATCH', `/api/profiles/${own.id}`, { env: { FAKE_CRASH_AT_START: '1' } })).statusCode).toBe(200);
    const failed = await call(user, 'POST', `/api/servers/${own.id}/start?wait=true`);
    expect(failed.statusCode).toBe(502);
    expect(failed.body).toContain('fake crash at start');
    expect(excerptOf(await call(user, 'GET', `/api/servers/${own.id}`))?.join('\n')).toContain('fake crash at start');
    expect(excerptOf(await call(admin, 'GET', `/api/servers/${own.id}`))?.join('\n')).toContain('fake crash at start');
    expect(excerptOf(await call(other.headers, 'GET', `/api/servers/${own.id}`))).toBeNull();
    expect((await call(user, 'GET', `/api/servers/${own.id}/logs`)).statusCode).toBe(200);
    expect((await call(other.headers, 'GET', `/api/servers/${own.id}/logs`)).statusCode).toBe(403);
    const again = await call(other.headers, 'POST', `/api/servers/${own.id}/start?wait=true`);
    expect(again.statusCode).toBe(502);
    expect(again.body).not.toContain('fake crash at start');
  });
});

describe('failed starts', () => {
  it('answer with the last lines but log only the reason', async () => {
    const { sink, logged } = logSink();
    const app = await buildApp({ config: { ...ctx.config, log_level: 'info' }, services: ctx.services, version: '0', webRoot: null, logStream: sink });
    try {
      const p = await adminCustomProfile('echo "token=sk-printed-by-engine"; exit 1');
      const res = await app.inject({ method: 'POST', url: `/api/servers/${p.id}/start?wait=true`, headers: admin });
      expect(res.statusCode).toBe(502);
      expect(res.body).toContain('sk-printed-by-engine'); // the user sees why it failed
      expect(logged()).toContain('request failed');
      expect(logged()).not.toContain('sk-printed-by-engine');
    } finally {
      await app.close();
    }
  });
});

describe('shared models, downloads and machine facts', () => {
  it('lets only admins delete from the shared model cache', async () => {
    const res = await call(user, 'DELETE', '/api/models/org/some-model');
    expect(res.statusCode).toBe(403);
    expect((await call(admin, 'DELETE', '/api/models/org/some-model')).statusCode).toBe(404);
  });

  it('lets only the starter or an admin cancel a download', async () => {
    const now = new Date().toISOString();
    const repo = downloadsRepository(ctx.database.db);
    const row = { repo: 'org/big', revision: 'main', files: null, state: 'queued' as const, bytes_done: 0, bytes_total: 0, error: null, commit_sha: null, created_by: 'someone-else', created_at: now, updated_at: now, finished_at: null };
    await repo.insert({ ...row, id: 'dl-admin' });
    await repo.insert({ ...row, id: 'dl-user', created_by: userId });
    expect((await call(user, 'DELETE', '/api/downloads/dl-admin')).statusCode).toBe(403);
    expect((await call(user, 'DELETE', '/api/downloads/dl-user')).statusCode).toBe(200);
    expect((await call(admin, 'DELETE', '/api/downloads/dl-admin')).statusCode).toBe(200);
  });

  it('shows executable paths to admins only, versions to everyone', async () => {
    const forUser = body<SystemInfo>(await call(user, 'GET', '/api/system'));
    const forAdmin = body<SystemInfo>(await call(admin, 'GET', '/api/system'));
    expect(forAdmin.engines.some((e) => e.executable !== null)).toBe(true);
    expect(forUser.engines.every((e) => e.executable === null)).toBe(true);
    expect(forUser.engines.map((e) => e.version)).toEqual(forAdmin.engines.map((e) => e.version));
  });
});
