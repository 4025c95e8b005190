// The real `mlx-manager` entry point, spawned as a process (no shell) with a temp data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerClient } from '../../src/cli/server-client.js';
import { tempHome, type TempHome } from '../helpers/config.js';

const CLI = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cliProcess(args: string[], env: Record<string, string>, withStdin = false): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: env.MLX_MANAGER_HOME ?? '/nonexistent', ...env },
    stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to completion; `input` is piped to its stdin (else stdin is /dev/null). */
function runCli(args: string[], env: Record<string, string>, timeoutMs = 20_000, input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = cliProcess(args, env, input !== undefined);
    if (input !== undefined) child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mlx-manager ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves with the URL from the ready line; rejects if the process exits or `ms` pass first. */
function waitForListening(child: ChildProcess, ms: number): Promise<{ url: string; lines: string[] }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not report ready; stderr: ${err}`)), ms);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /^MLX Manager listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], lines: out.split('\n').filter(Boolean) });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}; stderr: ${err}`));
    });
  });
}

describe('mlx-manager CLI', () => {
  let tmp: TempHome;
  let child: ChildProcess | undefined;
  beforeEach(async () => {
    tmp = await tempHome();
  });
  afterEach(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      process.kill(child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    }
    child = undefined;
    await tmp.remove();
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version'], { MLX_MANAGER_HOME: tmp.home });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it('--help works on the program and on every command', async () => {
    const top = await runCli(['--help'], { MLX_MANAGER_HOME: tmp.home });
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: mlx-manager/);
    expect(top.stdout).toMatch(/serve/);
    expect(top.stdout).toMatch(/user/);
    for (const args of [['serve', '--help'], ['user', '--help'], ['user', 'create', '--help']]) {
      const r = await runCli(args, { MLX_MANAGER_HOME: tmp.home });
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: mlx-manager/);
    }
  });

  it('user create works with no server running; serve --port 0 prints one ready line; that user logs in', async () => {
    const env = { MLX_MANAGER_HOME: tmp.home, MLX_MANAGER_LOG_LEVEL: 'warn' };
    const created = await runCli(['user', 'create', '--email', 'Root@Example.com', '--password-stdin', '--admin'], env, 20_000, 'password-123\n');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toBe('Created administrator root@example.com (approved)');

    const dup = await runCli(['user', 'create', '--email', 'root@example.com', '--password', 'password-123'], env);
    expect(dup.code).toBe(1);
    // the password on the command line still works, with a warning about ps and shell history
    expect(dup.stderr).toMatch(/warning: --password is visible .* process list/);
    expect(dup.stderr).toContain('Email already registered');

    child = cliProcess(['serve', '--port', '0'], env);
    const { url, lines } = await waitForListening(child, 30_000);
    expect(lines).toEqual([`MLX Manager listening on ${url}`]);
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@example.com', password: 'password-123' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { is_admin: boolean } }).user.is_admin).toBe(true);

    // SIGTERM shuts down cleanly
    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));
    process.kill(child.pid ?? 0, 'SIGTERM');
    expect(await exited).toBe(0);
  });

  it('an invalid setting stops start-up with exit 2 naming the key', async () => {
    const r = await runCli(['serve'], { MLX_MANAGER_HOME: tmp.home, MLX_MANAGER_PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MLX_MANAGER_PORT');
    const bad = await runCli(['serve', '--port', 'x'], { MLX_MANAGER_HOME: tmp.home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port');
  });

  it('user create validates its input, and never falls back to an empty password without a terminal', async () => {
    const r = await runCli(['user', 'create', '--email', 'a@example.com', '--password-stdin'], { MLX_MANAGER_HOME: tmp.home }, 20_000, 'short\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid password: must be at least 8 characters');
    // stdin is not a terminal and no --password-stdin: refuse rather than hang or guess
    const missing = await runCli(['user', 'create', '--email', 'a@example.com'], { MLX_MANAGER_HOME: tmp.home });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--password-stdin');
  });

  it('the server client explains how to start the server when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const client = createServerClient({ host: '127.0.0.1', port });
    await expect(client.request('GET', '/health')).rejects.toThrow(
      `MLX Manager is not running at http://127.0.0.1:${port} — start it with \`npm start\` or \`mlx-manager serve\``,
    );
  });
});
