// The gateway's one entry into local engines, servers.acquire(profileId, signal), through the real
// app context (real SQLite file, settings, fake engines spawned by the real supervisor): a lease
// that reaches the model, in-flight changes published as server.changed, failures as LeaseError.
import type { AppEvent, Profile, Server } from '@mlx-manager/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/main.js';
import { LeaseError } from '../../src/services/lease-error.js';
import { body, login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { installFakeEngines } from '../fixtures/fake-engine/index.js';
import { freePort } from './helpers.js';

let ctx: AppContext;
let headers: Record<string, string>;
let removeHome: () => Promise<void>;

beforeAll(async () => {
  const tmp = await tempHome();
  removeHome = tmp.remove;
  const bin = await installFakeEngines(tmp.home);
  ctx = await createAppContext(testConfig(tmp.home, { default_port_start: await freePort() }), {
    logger: false,
    webRoot: null,
    engines: { venvBin: bin, pathEnv: '', stopGraceMs: 1000, metricsIntervalMs: 60_000 },
  });
  await register(ctx.app, 'admin@example.com');
  headers = { authorization: `Bearer ${(await login(ctx.app, 'admin@example.com')).token}` };
});

afterAll(async () => {
  await ctx.close();
  await removeHome();
});

async function createProfile(fields: Record<string, unknown>): Promise<Profile> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/profiles', headers, payload: { port: await freePort(), ...fields } });
  expect(res.statusCode).toBe(201);
  return body<Profile>(res);
}

async function leaseFailure(promise: Promise<unknown>): Promise<LeaseError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LeaseError);
  return err as LeaseError;
}

describe('servers.acquire', () => {
  it('starts a stopped profile and returns a lease on it; in-flight changes are published', async () => {
    const p = await createProfile({ name: 'lease-vllm', engine: 'vllm-mlx', model: 'org/lease-model', served_model_name: 'served' });
    const seen: Server[] = [];
    const off = ctx.services.events.subscribe(({ event }: { event: AppEvent }) => {
      if (event.type === 'server.changed' && event.server.profile_id === p.id) seen.push(event.server);
    });
    const lease = await ctx.services.servers.acquire(p.id, new AbortController().signal);
    expect(lease.baseUrl).toBe(`http://127.0.0.1:${p.port}`);
    expect(lease.upstreamModel).toBe('served'); // vllm-mlx 404s on any other name
    const models = (await (await fetch(`${lease.baseUrl}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data[0]?.id).toBe(lease.upstreamModel);
    expect(seen.at(-1)).toMatchObject({ state: 'ready', in_flight: 1 });
    lease.release();
    lease.release();
    expect(seen.at(-1)).toMatchObject({ state: 'ready', in_flight: 0 });
    off();
    await ctx.services.servers.stop(p.id);
    // An edited profile is what the next start uses (the gateway's profile cache is invalidated).
    const patched = await ctx.app.inject({ method: 'PATCH', url: `/api/profiles/${p.id}`, headers, payload: { served_model_name: 'renamed' } });
    expect(patched.statusCode).toBe(200);
    const again = await ctx.services.servers.acquire(p.id);
    expect(again.upstreamModel).toBe('renamed');
    again.release();
    await ctx.services.servers.stop(p.id);
  });

  it('fails with a reason the gateway can answer (and a Retry-After when waiting may help)', async () => {
    expect(await leaseFailure(ctx.services.servers.acquire('no-such-profile'))).toMatchObject({ reason: 'not_found', retryAfterSeconds: null, code: 'not_found' });

    const missing = await createProfile({ name: 'lease-missing', engine: 'mlx-lm', model: 'org/m', executable: '/nonexistent/mlx_lm.server' });
    const notFound = await leaseFailure(ctx.services.servers.acquire(missing.id));
    expect(notFound).toMatchObject({ reason: 'engine_not_found', retryAfterSeconds: null });
    expect(notFound.message).toContain('/nonexistent/mlx_lm.server');

    const crashing = await createProfile({ name: 'lease-crash', engine: 'llama-server', model: '/models/x.gguf', env: { FAKE_CRASH_AT_START: '1' } });
    const crashed = await leaseFailure(ctx.services.servers.acquire(crashing.id));
    expect(crashed.reason).toBe('start_failed');
    expect(crashed.retryAfterSeconds).toBeGreaterThan(0);
    expect(crashed.startReason).toBe('crashed');
    expect(crashed.message).toContain('exited with code 1 while starting');
    // An AppError too: any renderer (and the gateway's Retry-After) reads the same facts.
    expect(crashed).toMatchObject({ code: 'unavailable', details: { reason: 'start_failed', retry_after_seconds: crashed.retryAfterSeconds, start_reason: 'crashed' } });
    expect(JSON.stringify(crashed.details)).not.toContain('fake crash at start'); // no engine log lines

    const slow = await createProfile({ name: 'lease-slow', engine: 'llama-server', model: '/models/y.gguf', env: { FAKE_NEVER_READY: '1' } });
    const timedOut = await leaseFailure(ctx.services.servers.acquire(slow.id, undefined, { timeoutMs: 300 }));
    expect(timedOut).toMatchObject({ reason: 'timeout' });
    expect(timedOut.retryAfterSeconds).toBeGreaterThan(0);
    const gone = new AbortController();
    const waiting = ctx.services.servers.acquire(slow.id, gone.signal);
    gone.abort();
    expect(await leaseFailure(waiting)).toMatchObject({ reason: 'aborted' });
    expect((await ctx.services.servers.get(slow.id)).in_flight).toBe(0);
    await ctx.services.servers.stop(slow.id);
  });
});
