// Supervisor fault tests against the fake engine: concurrency, crashes, timeouts, stubborn
// processes, port clashes, cancellation, idle unload. Real processes, real HTTP over loopback.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineDiscovery } from '../../src/engines/launchers/discover.js';
import { isAlive } from '../../src/engines/process-tree.js';
import { StartError, Supervisor, type InstanceStatus } from '../../src/engines/supervisor.js';
import { FAKE_ENGINE, installFakeEngines } from '../fixtures/fake-engine/index.js';
import { eventually, freePort, makeProfile, processesWith, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let supervisor: Supervisor;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('supervisor'));
  const bin = await installFakeEngines(dir);
  supervisor = new Supervisor({ dataDir: dir, discovery: new EngineDiscovery({ venvBin: bin, pathEnv: '' }), stopGraceMs: 1000 });
});

afterAll(async () => {
  await supervisor.shutdown();
  await cleanup();
});

async function startFailure(promise: Promise<unknown>): Promise<StartError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StartError);
  return err as StartError;
}

describe('supervisor', () => {
  it('spawns exactly one process for 20 concurrent starts of one profile', async () => {
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), env: { FAKE_LOAD_MS: '300' } });
    const results = await Promise.all(Array.from({ length: 20 }, () => supervisor.start(profile)));
    const pids = new Set(results.map((r) => r.pid));
    expect(pids.size).toBe(1);
    expect(results.every((r) => r.state === 'ready')).toBe(true);
    expect(processesWith(profile.model)).toHaveLength(1);
    expect(supervisor.tail(profile.id, 500).filter((l) => l.includes('starting llama-server'))).toHaveLength(1);
    // A start of a ready engine is a no-op too.
    expect((await supervisor.start(profile)).pid).toBe(results[0]?.pid);
    await supervisor.stop(profile.id);
    expect(processesWith(profile.model)).toHaveLength(0);
  });

  it('a command line the launcher refuses (unsafe model string) is a failed start, not a stuck one', async () => {
    // A row written before the model rule existed, or by a caller that skipped the service.
    const profile = { ...makeProfile({ engine: 'custom', command: ['/bin/sh', '-c', 'echo {model}'], port: await freePort() }), model: '/x; id > /tmp/pwned' };
    const err = await startFailure(supervisor.start(profile));
    expect(err.reason).toBe('spawn_failed');
    expect(err.message).toMatch(/command line/);
    expect(supervisor.status(profile.id).state).toBe('failed');
    expect(processesWith('/x; id')).toHaveLength(0);
  });

  it('kills an engine that ignores SIGTERM, and its worker process', async () => {
    const profile = makeProfile({ engine: 'mlx-lm', port: await freePort(), env: { FAKE_IGNORE_SIGTERM: '1', FAKE_WORKER: '1' } });
    const ready = await supervisor.start(profile);
    const pid = ready.pid as number;
    const workerLine = supervisor.tail(profile.id, 50).find((l) => l.includes('worker pid'));
    const workerPid = Number(/worker pid (\d+)/.exec(workerLine ?? '')?.[1]);
    expect(isAlive(workerPid)).toBe(true);
    const stopped = await supervisor.stop(profile.id);
    expect(stopped.state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(workerPid)).toBe(false);
    expect(supervisor.tail(profile.id, 20).join('\n')).toContain('killed (SIGKILL)');
  });

  it('reports a crash at start with the exit code and the last log lines', async () => {
    const profile = makeProfile({ engine: 'mlx-openai-server', port: await freePort(), env: { FAKE_CRASH_AT_START: '1' } });
    const err = await startFailure(supervisor.start(profile));
    expect(err.reason).toBe('crashed');
    expect(err.message).toContain('exited with code 1');
    expect(err.status.state).toBe('failed');
    expect(err.status.exitCode).toBe(1);
    expect(err.status.logExcerpt?.join('\n')).toContain('fake crash at start');
    expect(supervisor.status(profile.id).error).toContain('while starting');
  });

  it('reports a crash while serving (mid-stream) with the log lines', async () => {
    const profile = makeProfile({ engine: 'vllm-mlx', port: await freePort(), env: { FAKE_CRASH_MID_STREAM: '1' } });
    await supervisor.start(profile);
    const changes: InstanceStatus[] = [];
    const off = supervisor.onChange((s) => s.profileId === profile.id && changes.push(s));
    const res = await fetch(`http://127.0.0.1:${profile.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: profile.model, messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    await res.text().catch(() => '');
    expect(await eventually(() => supervisor.status(profile.id).state === 'failed')).toBe(true);
    off();
    const status = supervisor.status(profile.id);
    expect(status.error).toContain('exited with code 3 while serving');
    expect(status.exitCode).toBe(3);
    expect(status.logExcerpt?.join('\n')).toContain('fake crash mid-stream');
    expect(changes.at(-1)?.state).toBe('failed');
    // A failed engine starts again on demand.
    const again = makeProfile({ ...profile, env: {}, engine: 'vllm-mlx', port: profile.port });
    expect((await supervisor.start({ ...again, id: profile.id })).state).toBe('ready');
    await supervisor.stop(profile.id);
  });

  it('fails a start that times out, and leaves no process', async () => {
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), start_timeout_seconds: 1, env: { FAKE_NEVER_READY: '1' } });
    const err = await startFailure(supervisor.start(profile));
    expect(err.reason).toBe('timeout');
    expect(err.message).toContain('did not answer within 1 s');
    expect(err.status.logExcerpt?.join('\n')).toContain('still loading');
    expect(processesWith(profile.model)).toHaveLength(0);
  });

  it('refuses a port already bound by another program, before spawning', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const profile = makeProfile({ engine: 'llama-server', port });
    try {
      const err = await startFailure(supervisor.start(profile));
      expect(err.reason).toBe('port_in_use');
      expect(err.message).toContain(`port ${port}`);
      expect(processesWith(profile.model)).toHaveLength(0);
    } finally {
      blocker.close();
    }
  });

  it('refuses a second engine on the port of a running one', async () => {
    const port = await freePort();
    const a = makeProfile({ engine: 'llama-server', port });
    const b = makeProfile({ engine: 'llama-server', port });
    await supervisor.start(a);
    const err = await startFailure(supervisor.start(b));
    expect(err.reason).toBe('port_in_use');
    expect(err.message).toContain(a.id);
    await supervisor.stop(a.id);
  });

  it('cancels a start in progress when stopped', async () => {
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), env: { FAKE_NEVER_READY: '1' } });
    const starting = supervisor.start(profile);
    expect(await eventually(() => supervisor.status(profile.id).pid !== null)).toBe(true);
    const stopped = await supervisor.stop(profile.id);
    expect(stopped.state).toBe('stopped');
    const err = await startFailure(starting);
    expect(err.reason).toBe('cancelled');
    expect(processesWith(profile.model)).toHaveLength(0);
  });

  it('reports a missing engine executable clearly', async () => {
    const profile = makeProfile({ engine: 'mlx-lm', port: await freePort(), executable: '/nonexistent/mlx_lm.server' });
    const err = await startFailure(supervisor.start(profile));
    expect(err.reason).toBe('engine_not_found');
    expect(err.message).toContain('/nonexistent/mlx_lm.server');
  });

  it('passes only the flags the installed version accepts, with a warning for the others', async () => {
    // The fake mlx-openai-server is 1.7.0 by default: its strict parser exits 2 on --max-concurrency.
    const v17 = makeProfile({ engine: 'mlx-openai-server', port: await freePort(), max_concurrency: 4, served_model_name: 'alias' });
    const ready = await supervisor.start(v17);
    expect(ready.state).toBe('ready');
    expect(ready.warnings.join('\n')).toMatch(/max_concurrency is not supported by mlx-openai-server 1\.7\.0 \(no --max-concurrency flag\)/);
    expect(ready.engineVersion).toBe('1.7.0');
    await supervisor.stop(v17.id);
  });

  it('counts in-flight requests and unloads after the idle TTL, never while busy', async () => {
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), idle_ttl_seconds: 1 });
    const lease = await supervisor.acquire(profile);
    expect(supervisor.status(profile.id).inFlight).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(supervisor.status(profile.id).state).toBe('ready'); // busy: not unloaded
    lease.release();
    lease.release(); // idempotent
    expect(supervisor.status(profile.id).inFlight).toBe(0);
    expect(await eventually(() => supervisor.status(profile.id).state === 'stopped', 5000)).toBe(true);
    expect(processesWith(profile.model)).toHaveLength(0);
  });

  it('restarts with a new process', async () => {
    const profile = makeProfile({ engine: 'mlx-lm', port: await freePort() });
    const first = await supervisor.start(profile);
    const second = await supervisor.restart(profile);
    expect(second.state).toBe('ready');
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(first.pid as number)).toBe(false);
    await supervisor.stop(profile.id);
  });

  it('runs a custom command with placeholders filled, ready on its health path', async () => {
    const profile = makeProfile({
      engine: 'custom',
      port: await freePort(),
      command: [FAKE_ENGINE, '--model', '{model}', '--host', '{host}', '--port', '{port}'],
      health_path: '/v1/models',
      env: { FAKE_ENGINE_KIND: 'custom' },
    });
    const ready = await supervisor.start(profile);
    expect(ready.state).toBe('ready');
    const models = (await (await fetch(`http://127.0.0.1:${profile.port}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data[0]?.id).toBe(profile.model);
    await supervisor.stop(profile.id);
    expect(isAlive(ready.pid as number)).toBe(false);
  });
});
