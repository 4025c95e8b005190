// `login` against a real server on loopback, run in-process through the real program.
import { stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authedClient, readToken, tokenPath } from '../../src/cli/credentials.js';
import { CliError, type CliIo } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/program.js';
import { createServerClient } from '../../src/cli/server-client.js';
import { testConfig } from '../helpers/config.js';
import { createTestApp, register, type TestApp } from '../helpers/app.js';

describe('mlx-manager login', () => {
  let t: TestApp;
  let port: number;
  let out: string[];
  let io: CliIo;
  beforeEach(async () => {
    t = await createTestApp();
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = Number(new URL(url).port);
    out = [];
    io = { env: { MLX_MANAGER_HOME: t.home, MLX_MANAGER_PORT: String(port) }, stdout: (l) => out.push(l), stderr: (l) => out.push(l) };
    await register(t.app, 'cli@example.com', 'password-123');
  });
  afterEach(async () => {
    await t.dispose();
  });

  const run = (args: string[]) => buildProgram(io).exitOverride().parseAsync(['node', 'mlx-manager', ...args]);

  it('saves a 0600 session that later commands use; logout ends it on the server and forgets it', async () => {
    io = { ...io, env: { ...io.env, MLX_MANAGER_PASSWORD: 'password-123' } };
    await run(['login', '--email', 'cli@example.com']);
    expect(out).toEqual(['Logged in as cli@example.com (administrator)']);
    expect((await stat(tokenPath(t.home))).mode & 0o777).toBe(0o600);
    const config = testConfig(t.home, { port });
    const me = await (await authedClient(io, config)).request<{ user: { email: string } }>('GET', '/api/auth/me');
    expect(me.user.email).toBe('cli@example.com');

    const token = await readToken(io, config);
    await run(['logout']);
    expect(await readToken(io, config)).toBeUndefined();
    expect(out.at(-1)).toBe('Logged out');
    // The copy someone kept is dead too.
    const after = await createServerClient(config, token).request('GET', '/api/auth/me').catch((e: unknown) => e);
    expect(after).toBeInstanceOf(CliError);
  });

  it('--password works but warns that it shows in ps; no password and no terminal is a clear error', async () => {
    await run(['login', '--email', 'cli@example.com', '--password', 'password-123']);
    expect(out[0]).toMatch(/warning: --password is visible/);
    await expect(run(['login', '--email', 'cli@example.com'])).rejects.toThrow(/no password given/);
  });

  it('a wrong password or a missing session gives a clear message, never a bare 401', async () => {
    await expect(run(['login', '--email', 'cli@example.com', '--password', 'nope-nope'])).rejects.toThrow(/401: Incorrect email or password/);
    const err = await createServerClient(testConfig(t.home, { port }))
      .request('GET', '/api/auth/me')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toContain('mlx-manager login');
  });
});
