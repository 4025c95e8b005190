// `mlx-manager status`, `profiles list|start|stop` and `service status`, spawned as the real CLI
// (no shell) against a real in-process server on port 0 driving the fake engines.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Profile } from '@mlx-manager/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/engines/process-tree.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { login, register } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { installFakeEngines } from '../fixtures/fake-engine/index.js';
import { freePort } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

let home: string;
let removeHome: () => Promise<void>;
let bin: string;

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: SERVER_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: home, MLX_MANAGER_HOME: home, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`timed out: ${stderr}`))), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  ({ home, remove: removeHome } = await tempHome());
  bin = await installFakeEngines(home);
});
afterAll(async () => removeHome());

describe('CLI without a running server', () => {
  it('status says it is not running (exit 3); profiles list reads the data folder; start explains', async () => {
    const port = String(await freePort());
    const status = await runCli(['status'], { MLX_MANAGER_PORT: port });
    expect(status.code).toBe(3);
    expect(status.stderr).toContain('MLX Manager is not running at');
    const list = await runCli(['profiles', 'list'], { MLX_MANAGER_PORT: port });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('No profiles yet');
    const start = await runCli(['profiles', 'start', 'x'], { MLX_MANAGER_PORT: port });
    expect(start.code).toBe(1);
    expect(start.stderr).toContain('is not running');
  }, 90_000);
});

describe('CLI against a running server', () => {
  let server: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startServer(testConfig(home, { port: 0, default_port_start: await freePort() }), {
      logger: false,
      webRoot: null,
      engines: { venvBin: bin, pathEnv: '', stopGraceMs: 1000 },
    });
    await register(server.app, 'admin@example.com');
    const token = (await login(server.app, 'admin@example.com')).token;
    env = { MLX_MANAGER_PORT: new URL(server.url).port, MLX_MANAGER_TOKEN: token };
    const res = await server.app.inject({ method: 'POST', url: '/api/profiles', headers: { authorization: `Bearer ${token}` }, payload: { name: 'cli-fake', engine: 'mlx-lm', model: 'org/cli-fake' } });
    expect(res.statusCode).toBe(201);
  });
  afterAll(async () => server.close());

  it('profiles start waits for ready, status shows it, profiles stop stops it', async () => {
    const start = await runCli(['profiles', 'start', 'cli-fake'], env);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/cli-fake is ready on http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/);
    const pid = Number(/pid (\d+)/.exec(start.stdout)?.[1]);
    expect(isAlive(pid)).toBe(true);
    const status = await runCli(['status'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('is running at');
    expect(status.stdout).toMatch(/cli-fake\s+ready/);
    const list = await runCli(['profiles', 'list', '--json'], env);
    const parsed = JSON.parse(list.stdout) as { profiles: Profile[]; servers: { state: string }[] };
    expect(parsed.profiles.map((p) => p.name)).toEqual(['cli-fake']);
    expect(parsed.servers[0]?.state).toBe('ready');
    const stop = await runCli(['profiles', 'stop', 'cli-fake'], env);
    expect(stop.code, stop.stderr).toBe(0);
    expect(isAlive(pid)).toBe(false);
    const unknown = await runCli(['profiles', 'start', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No profile "nope"');
  }, 120_000);

  it('status without a login explains how to get one instead of a bare 401', async () => {
    const status = await runCli(['status'], { MLX_MANAGER_PORT: env.MLX_MANAGER_PORT as string });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Log in');
  }, 60_000);
});
