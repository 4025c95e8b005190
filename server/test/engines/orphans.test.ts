// kill -9 of the manager: the engines it started keep running (their own process group), and the
// next manager on the same data folder reaps them (or adopts them when asked). Never an orphan.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineDiscovery } from '../../src/engines/launchers/discover.js';
import type { LaunchProfile } from '../../src/engines/launchers/types.js';
import { isAlive } from '../../src/engines/process-tree.js';
import { RunRecordStore } from '../../src/engines/run-records.js';
import { Supervisor } from '../../src/engines/supervisor.js';
import { installFakeEngines } from '../fixtures/fake-engine/index.js';
import { eventually, freePort, makeProfile, processesWith, tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./manager-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let dir: string;
let bin: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('orphans'));
  bin = await installFakeEngines(dir);
});
afterAll(async () => {
  // Belt and braces: nothing this suite started may outlive it.
  for (const pid of processesWith(dir)) process.kill(pid, 'SIGKILL');
  await cleanup();
});

/** Runs a manager in a child process, starts `profile`, then kills the manager with SIGKILL. */
async function managerStartsThenDies(profile: LaunchProfile): Promise<{ enginePid: number; workerPid: number }> {
  const child = spawn(process.execPath, ['--import', TSX, CHILD, dir, bin, JSON.stringify(profile)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`manager child gave no pid in 60 s: ${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve(out.split('\n')[0] as string);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`manager child exited ${code}: ${err}`));
    });
  });
  const { pid } = JSON.parse(line) as { pid: number };
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const log = new Supervisor({ dataDir: dir }).tail(profile.id, 50).join('\n');
  const workerPid = Number(/worker pid (\d+)/.exec(log)?.[1]);
  return { enginePid: pid, workerPid };
}

describe('a manager killed with -9', () => {
  it('leaves engines that the next manager reaps: no orphan, worker included', async () => {
    const profile = makeProfile({ engine: 'llama-server', port: await freePort(), env: { FAKE_WORKER: '1' } });
    const { enginePid, workerPid } = await managerStartsThenDies(profile);
    // The manager is gone but its engine and the engine's worker live on: the orphan situation.
    expect(isAlive(enginePid)).toBe(true);
    expect(isAlive(workerPid)).toBe(true);
    expect(new RunRecordStore(`${dir}/run`).list().records.map((r) => r.pid)).toContain(enginePid);

    const next = new Supervisor({ dataDir: dir, discovery: new EngineDiscovery({ venvBin: bin, pathEnv: '' }), stopGraceMs: 1000 });
    const result = await next.recover();
    expect(result.reaped).toEqual([enginePid]);
    expect(isAlive(enginePid)).toBe(false);
    expect(isAlive(workerPid)).toBe(false);
    expect(processesWith(profile.model)).toEqual([]);
    expect(new RunRecordStore(`${dir}/run`).list().records).toEqual([]);
    // And the port is free for a fresh start: never a second engine on it.
    const again = await next.start(profile);
    expect(again.state).toBe('ready');
    await next.stop(profile.id);
  });

  it('leaves engines that the next manager adopts when configured to, then stops cleanly', async () => {
    const profile = makeProfile({ engine: 'mlx-lm', port: await freePort() });
    const { enginePid } = await managerStartsThenDies(profile);
    const next = new Supervisor({ dataDir: dir, discovery: new EngineDiscovery({ venvBin: bin, pathEnv: '' }), stopGraceMs: 1000 });
    const result = await next.recover((record) => (record.profile_id === profile.id ? profile : null));
    expect(result.adopted).toEqual([profile.id]);
    const status = next.status(profile.id);
    expect(status).toMatchObject({ state: 'ready', pid: enginePid, adopted: true });
    // A start of the adopted profile joins it instead of spawning a second engine.
    expect((await next.start(profile)).pid).toBe(enginePid);
    expect(processesWith(profile.model)).toHaveLength(1);
    await next.stop(profile.id);
    expect(await eventually(() => !isAlive(enginePid), 5000)).toBe(true);
  });

  it('drops stale and unreadable records without touching unrelated processes', async () => {
    const store = new RunRecordStore(`${dir}/run`);
    // A pid that is alive but not ours (this test process), with a start time that cannot match.
    store.write({ profile_id: 'stale', pid: process.pid, start_time: 'not-the-real-start', argv: ['x'], host: '127.0.0.1', port: 1, started_at: '' });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/run/garbage.json`, '{not json');
    const result = await new Supervisor({ dataDir: dir }).recover();
    expect(result).toMatchObject({ reaped: [], adopted: [], dropped: 2 });
    expect(isAlive(process.pid)).toBe(true);
    expect(store.list()).toEqual({ records: [], invalid: [] });
  });
});
