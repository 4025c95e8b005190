// Leases for the gateway against the fake engines: many callers on a stopped profile, clients that
// leave, bounded waiting, idle unload after the last request, eviction under a memory budget
// (model sizes read from real files on disk), and an engine that dies while leased.
import { readlinkSync, statSync } from 'node:fs';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineDiscovery } from '../../src/engines/launchers/discover.js';
import type { LaunchProfile } from '../../src/engines/launchers/types.js';
import { modelSizeOnDisk } from '../../src/engines/model-size.js';
import { isAlive } from '../../src/engines/process-tree.js';
import { AcquireError, StartError, Supervisor, type InstanceStatus, type Lease } from '../../src/engines/supervisor.js';
import { installFakeEngines } from '../fixtures/fake-engine/index.js';
import { eventually, freePort, makeProfile, processesWith, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let discovery: EngineDiscovery;
const supervisors: Supervisor[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('leases'));
  discovery = new EngineDiscovery({ venvBin: await installFakeEngines(dir), pathEnv: '' });
});

afterAll(async () => {
  await Promise.all(supervisors.map((s) => s.shutdown()));
  await cleanup();
});

function supervisor(extra: Partial<ConstructorParameters<typeof Supervisor>[0]> = {}): Supervisor {
  const s = new Supervisor({ dataDir: dir, discovery, stopGraceMs: 1000, ...extra });
  supervisors.push(s);
  return s;
}

async function failure<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

/** A chat completion through a lease, as the gateway would send it. */
async function chatThrough(lease: Lease): Promise<{ status: number; model: string }> {
  const res = await fetch(`${lease.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: lease.upstreamModel, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }),
  });
  const body = (await res.json()) as { model: string };
  return { status: res.status, model: body.model };
}

describe('acquire', () => {
  it('50 concurrent acquires of a stopped profile start exactly one process, and every lease works', async () => {
    const sup = supervisor();
    const profile = makeProfile({ engine: 'mlx-lm', port: await freePort(), env: { FAKE_LOAD_MS: '400' } });
    const changes: InstanceStatus[] = [];
    const off = sup.onChange((s) => s.profileId === profile.id && changes.push(s));
    const leases = await Promise.all(Array.from({ length: 50 }, () => sup.acquire(profile)));
    expect(processesWith(profile.model)).toHaveLength(1);
    expect(sup.tail(profile.id, 500).filter((l) => l.includes('starting mlx-lm'))).toHaveLength(1);
    expect(new Set(leases.map((l) => l.baseUrl))).toEqual(new Set([`http://127.0.0.1:${profile.port}`]));
    expect(leases.every((l) => l.upstreamModel === profile.model)).toBe(true);
    expect(sup.status(profile.id).inFlight).toBe(50);
    // Every in-flight change went through the one writer and was published.
    expect(changes.filter((c) => c.state === 'ready').at(-1)?.inFlight).toBe(50);
    const answers = await Promise.all(leases.slice(0, 5).map(chatThrough));
    expect(answers.every((a) => a.status === 200 && a.model === profile.model)).toBe(true);
    for (const l of leases) l.release();
    for (const l of leases) l.release(); // idempotent: the count never goes below what was granted
    expect(sup.status(profile.id).inFlight).toBe(0);
    expect(changes.at(-1)?.inFlight).toBe(0);
    expect(changes.at(-1)?.lastUsedAt).not.toBeNull();
    off();
    await sup.stop(profile.id);
    expect(processesWith(profile.model)).toHaveLength(0);
  });

  it('a caller that aborts while the model loads stops waiting and leaves nothing counted', async () => {
    const sup = supervisor();
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), env: { FAKE_LOAD_MS: '1200' } });
    const staying = sup.acquire(profile);
    expect(await eventually(() => sup.status(profile.id).pid !== null)).toBe(true);
    // This caller's grant now waits in the queue behind the load: abandoned, it must never be granted.
    const gone = new AbortController();
    const leaving = sup.acquire(profile, { signal: gone.signal });
    setTimeout(() => gone.abort(), 150);
    const err = await failure(leaving, AcquireError);
    expect(err.reason).toBe('aborted');
    const lease = await staying; // the start went on for the caller who stayed
    expect(sup.status(profile.id).inFlight).toBe(1);
    lease.release();
    expect(sup.status(profile.id).inFlight).toBe(0);
    // A signal aborted before the call is refused at once.
    const before = new AbortController();
    before.abort();
    expect((await failure(sup.acquire(profile, { signal: before.signal }), AcquireError)).reason).toBe('aborted');
    expect(sup.status(profile.id).inFlight).toBe(0);
    await sup.stop(profile.id);
  });

  it('bounds the wait (timeout) and the queue (queue_full)', async () => {
    const sup = supervisor({ maxWaiting: 2 });
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), env: { FAKE_NEVER_READY: '1' } });
    const first = sup.acquire(profile, { timeoutMs: 600 });
    const second = sup.acquire(profile, { timeoutMs: 600 });
    const third = await failure(sup.acquire(profile, { timeoutMs: 600 }), AcquireError);
    expect(third.reason).toBe('queue_full');
    expect((await failure(first, AcquireError)).reason).toBe('timeout');
    expect((await failure(second, AcquireError)).reason).toBe('timeout');
    expect(sup.status(profile.id).inFlight).toBe(0);
    await sup.stop(profile.id);
    expect(processesWith(profile.model)).toHaveLength(0);
  });

  it('a failed start fails every caller that waited for it, with one attempt', async () => {
    const sup = supervisor();
    const profile = makeProfile({ engine: 'vllm-mlx', port: await freePort(), env: { FAKE_CRASH_AT_START: '1' } });
    const errors = await Promise.all(Array.from({ length: 10 }, () => failure(sup.acquire(profile), StartError)));
    expect(errors.every((e) => e.reason === 'crashed')).toBe(true);
    expect(sup.tail(profile.id, 500).filter((l) => l.includes('starting vllm-mlx'))).toHaveLength(1);
    expect(sup.status(profile.id).inFlight).toBe(0);
  });

  it('unloads after the idle TTL counted from the end of the last request, never during one', async () => {
    const sup = supervisor();
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), idle_ttl_seconds: 1 });
    const lease = await sup.acquire(profile);
    await new Promise((r) => setTimeout(r, 1400));
    expect(sup.status(profile.id).state).toBe('ready'); // a request is in flight
    expect((await chatThrough(lease)).status).toBe(200);
    const releasedAt = Date.now();
    lease.release();
    expect(await eventually(() => sup.status(profile.id).state === 'stopped', 5000)).toBe(true);
    expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(950);
    expect(processesWith(profile.model)).toHaveLength(0);
    // The next request starts it again.
    const again = await sup.acquire(profile);
    expect((await chatThrough(again)).status).toBe(200);
    again.release();
    await sup.stop(profile.id);
  });

  it('runs the engine in its own 0700 working directory under run/', async () => {
    const sup = supervisor();
    const profile = makeProfile({ engine: 'mlx-openai-server', port: await freePort() });
    const lease = await sup.acquire(profile);
    const pid = sup.status(profile.id).pid as number;
    const workDir = path.join(dir, 'run', encodeURIComponent(profile.id));
    expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(workDir);
    expect(statSync(workDir).mode & 0o777).toBe(0o700);
    lease.release();
    await sup.stop(profile.id);
  });

  it('survives an engine that dies while leased: the lease still releases, the next acquire restarts it', async () => {
    const sup = supervisor();
    const profile = makeProfile({ engine: 'mlx-lm', port: await freePort() });
    const lease = await sup.acquire(profile);
    const pid = sup.status(profile.id).pid as number;
    process.kill(-pid, 'SIGKILL');
    expect(await eventually(() => sup.status(profile.id).state === 'failed')).toBe(true);
    expect(sup.status(profile.id).error).toContain('while serving');
    expect(sup.status(profile.id).inFlight).toBe(1);
    lease.release();
    expect(sup.status(profile.id).inFlight).toBe(0);
    const next = await sup.acquire(profile);
    expect(sup.status(profile.id).pid).not.toBe(pid);
    expect(isAlive(pid)).toBe(false);
    expect((await chatThrough(next)).status).toBe(200);
    next.release();
    await sup.stop(profile.id);
  });

  it('never unloads while a request is served when idle unloads and requests interleave', async () => {
    const sup = supervisor();
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), idle_ttl_seconds: 1, env: { FAKE_LOAD_MS: '50' } });
    // Requests land just before, at and just after the moment the idle unload is due.
    for (const gapMs of [900, 1000, 1050, 1100, 1300]) {
      const lease = await sup.acquire(profile);
      lease.release();
      await new Promise((r) => setTimeout(r, gapMs));
      const next = await sup.acquire(profile);
      expect(sup.status(profile.id).state).toBe('ready');
      expect((await chatThrough(next)).status).toBe(200);
      next.release();
    }
    expect(processesWith(profile.model).length).toBeLessThanOrEqual(1);
    await sup.stop(profile.id);
  });
});

describe('memory budget', () => {
  /** A model folder whose files add up to `bytes` (sparse: no disk used). */
  async function modelOfSize(name: string, bytes: number): Promise<string> {
    const folder = path.join(dir, 'models', `${name}-${process.pid}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'weights.safetensors'), '');
    await truncate(path.join(folder, 'weights.safetensors'), bytes);
    return folder;
  }

  const MiB = 1024 * 1024;
  let budget = 250 * MiB;
  let sup: Supervisor;
  let a: LaunchProfile;
  let b: LaunchProfile;
  let c: LaunchProfile;

  beforeAll(async () => {
    sup = supervisor({ memoryBudgetBytes: () => budget, modelSize: (p) => modelSizeOnDisk(p.model, path.join(dir, 'hub')) });
    a = makeProfile({ engine: 'llama-server', port: await freePort(), model: await modelOfSize('a', 100 * MiB) });
    b = makeProfile({ engine: 'llama-server', port: await freePort(), model: await modelOfSize('b', 100 * MiB) });
    c = makeProfile({ engine: 'llama-server', port: await freePort(), model: await modelOfSize('c', 100 * MiB) });
  });

  const state = (p: LaunchProfile) => sup.status(p.id).state;
  /** One request; then a pause, so that the next use is measurably more recent (ms clock). */
  const use = async (p: LaunchProfile) => {
    (await sup.acquire(p)).release();
    await new Promise((r) => setTimeout(r, 5));
  };

  it('reads model sizes from the files on disk', async () => {
    expect(await modelSizeOnDisk(a.model, dir)).toBe(100 * MiB);
    expect(await modelSizeOnDisk('org/not-downloaded', path.join(dir, 'hub'))).toBeNull();
  });

  it('unloads the least recently used idle engine before a load that would not fit', async () => {
    await use(a);
    await use(b);
    await use(a); // a is now more recent than b
    await use(c); // 300 MiB > 250: b (LRU, idle) goes
    expect([state(a), state(b), state(c)]).toEqual(['ready', 'stopped', 'ready']);
    expect(sup.tail(b.id, 20).join('\n')).toContain(`make room for profile ${c.name}`);
    expect(processesWith(b.model)).toHaveLength(0);
  });

  it('never evicts an engine with a request in flight, even the least recently used', async () => {
    const held = await sup.acquire(a); // a is busy (and older than c)
    await use(c);
    await use(b); // needs room: a is LRU but busy, so c goes
    expect([state(a), state(b), state(c)]).toEqual(['ready', 'ready', 'stopped']);
    expect(sup.status(a.id).inFlight).toBe(1);
    held.release();
  });

  it('loads anyway, with a warning, when busy engines hold the budget', async () => {
    const holdA = await sup.acquire(a);
    const holdB = await sup.acquire(b);
    const lease = await sup.acquire(c);
    expect([state(a), state(b), state(c)]).toEqual(['ready', 'ready', 'ready']);
    expect(sup.status(c.id).warnings.join('\n')).toContain('does not fit in the memory budget');
    for (const l of [holdA, holdB, lease]) l.release();
  });

  it('a request for the engine being evicted is never served by a stopped engine', async () => {
    budget = 200 * MiB;
    for (let round = 0; round < 3; round++) {
      await Promise.all([sup.stop(a.id), sup.stop(b.id), sup.stop(c.id)]);
      await use(a);
      await use(b); // a is the least recently used: c's load picks it as the victim...
      // ...while a request for a arrives at the same moment.
      const leases = await Promise.all([sup.acquire(c), sup.acquire(a)]);
      for (const lease of leases) {
        expect(sup.status(lease.profileId).state).toBe('ready');
        expect((await chatThrough(lease)).status).toBe(200);
      }
      for (const lease of leases) lease.release();
    }
  });

  it('two loads at once count each other (admission is one at a time, with the size reserved)', async () => {
    await Promise.all([sup.stop(a.id), sup.stop(b.id), sup.stop(c.id)]);
    budget = 200 * MiB;
    await use(a);
    // Each of b and c fits beside a alone; together they do not. The second admission sees the
    // first one's reserved size, so a (idle) is unloaded instead of three models being loaded.
    const [lb, lc] = await Promise.all([sup.acquire(b), sup.acquire(c)]);
    expect([state(a), state(b), state(c)]).toEqual(['stopped', 'ready', 'ready']);
    expect([b, c].flatMap((p) => sup.status(p.id).warnings).filter((w) => w.includes('does not fit'))).toEqual([]);
    lb.release();
    lc.release();
    await Promise.all([sup.stop(b.id), sup.stop(c.id)]);
  });
});
