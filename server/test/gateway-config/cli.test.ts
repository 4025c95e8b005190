// `mlx-manager providers …` and `routes …` against a real server listening on loopback.
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, type CliIo } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/program.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { adminAndUser } from '../helpers/app.js';
import { tempHome, testConfig, type TempHome } from '../helpers/config.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeUpstream } from '../fixtures/fake-upstreams/index.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('providers and routes commands', () => {
  let tmp: TempHome;
  let server: RunningServer;
  let upstream: FakeUpstream;
  let env: Record<string, string>;

  beforeAll(async () => {
    tmp = await tempHome();
    upstream = await startFakeOpenAI({ models: ['gpt-fake', 'gpt-fake-mini'] });
    server = await startServer(testConfig(tmp.home), { logger: false, webRoot: null });
    const { admin } = await adminAndUser(server.app);
    env = { MLX_MANAGER_HOME: tmp.home, MLX_MANAGER_PORT: server.url.split(':').at(-1) ?? '', MLX_MANAGER_TOKEN: admin.token, OPENAI_KEY_FOR_TEST: FAKE_OPENAI_KEY };
  });
  afterAll(async () => {
    await server.close();
    await upstream.close();
    await tmp.remove();
  });

  async function cli(...args: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { env, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
    const program = buildProgram(io);
    // --help exits through commander: make every (sub)command throw instead of ending the test run.
    const noExit = (c: Command): void => {
      c.exitOverride();
      c.commands.forEach(noExit);
    };
    noExit(program);
    try {
      await program.parseAsync(['node', 'mlx-manager', ...args]);
      return { code: 0, out: out.join('\n'), err: err.join('\n') };
    } catch (e) {
      if (e instanceof CliError) return { code: e.exitCode, out: out.join('\n'), err: [...err, e.message].join('\n') };
      const code = (e as { exitCode?: number }).exitCode;
      if (typeof code === 'number') return { code, out: out.join('\n'), err: err.join('\n') };
      throw e;
    }
  }

  it('adds, lists, tests and removes a provider; the key comes from the environment, never argv', async () => {
    const add = await cli('providers', 'add', 'fake', '--kind', 'openai', '--base-url', upstream.baseURL, '--api-key-env', 'OPENAI_KEY_FOR_TEST', '--model', 'gpt-fake');
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain('key sk-…-key');
    expect(add.out).not.toContain(FAKE_OPENAI_KEY);

    const list = await cli('providers', 'list');
    expect(list.out).toMatch(/fake\s+openai\s+http:\/\/127\.0\.0\.1:\d+\/v1\s+sk-…-key\s+1/);
    const json = JSON.parse((await cli('providers', 'list', '--json')).out) as { providers: Array<{ name: string }> };
    expect(json.providers.map((p) => p.name)).toEqual(['fake']);

    const test = await cli('providers', 'test', 'fake');
    expect(test.code, test.err).toBe(0);
    expect(test.out).toContain('gpt-fake-mini');
    const imported = await cli('providers', 'test', 'fake', '--import');
    expect(imported.out).toContain("Saved them as fake's models.");
    expect(JSON.parse((await cli('providers', 'list', '--json')).out)).toMatchObject({ providers: [{ name: 'fake', models: ['gpt-fake', 'gpt-fake-mini'] }] });

    const dup = await cli('providers', 'add', 'fake', '--kind', 'openai', '--base-url', upstream.baseURL);
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('already exists');
    const ssrf = await cli('providers', 'add', 'meta', '--kind', 'openai', '--base-url', 'http://169.254.169.254/v1');
    expect(ssrf.err).toMatch(/400.*metadata/);
    const failing = await cli('providers', 'add', 'closed', '--kind', 'openai-compatible', '--base-url', 'http://127.0.0.1:9/v1');
    expect(failing.code, failing.err).toBe(0);
    const failed = await cli('providers', 'test', 'closed');
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/closed failed \(refused\)/);
    expect((await cli('providers', 'rm', 'closed')).out).toContain('Removed provider closed');
    expect((await cli('providers', 'rm', 'nope')).err).toContain('No provider "nope"');
  });

  it('adds routes with fallbacks, explains names, lists and removes them', async () => {
    const add = await cli('routes', 'add', 'gpt-*', '--match', 'prefix', '--to', 'provider:fake:gpt-fake', '--to', 'provider:fake', '--priority', '2');
    expect(add.code, add.err).toBe(0);
    const id = /Added route (\S+):/.exec(add.out)?.[1] ?? '';
    expect(id).not.toBe('');

    const explain = await cli('routes', 'explain', 'gpt-4o');
    expect(explain.out).toContain(`rule ${id} (prefix gpt-*, priority 2)`);
    expect(explain.out).toMatch(/primary\s+provider fake, model gpt-fake/);
    expect(explain.out).toMatch(/fallback 1\s+provider fake, model gpt-4o/);
    const json = JSON.parse((await cli('routes', 'explain', 'gpt-4o', '--json')).out) as { targets: unknown[] };
    expect(json.targets).toHaveLength(2);
    const none = await cli('routes', 'explain', 'llama');
    expect(none.code).toBe(1);
    expect(none.err).toContain('No route for "llama"');

    expect((await cli('routes', 'list')).out).toMatch(new RegExp(`${id}\\s+prefix\\s+gpt-\\*\\s+2\\s+yes`));
    const badRegex = await cli('routes', 'add', '(a+)+', '--match', 'regex', '--to', 'provider:fake');
    expect(badRegex.err).toMatch(/400.*nested quantifiers/);
    expect((await cli('routes', 'add', 'x', '--to', 'profile:ghost')).err).toContain('No profile "ghost"');
    expect((await cli('routes', 'add', 'x', '--to', 'somewhere')).err).toContain('must be profile:<name> or provider:<name>');

    expect((await cli('routes', 'rm', id)).code).toBe(0);
    expect((await cli('routes', 'list', '--json')).out).toContain('"routes": []');
  });

  it('has help for each command', async () => {
    for (const cmd of [['providers'], ['routes'], ['keys']]) {
      const help = await cli(...cmd, '--help');
      expect(help.out).toMatch(/Usage: mlx-manager/);
    }
  });
});
