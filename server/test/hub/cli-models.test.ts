// `mlx-manager models …` through the real entry point (spawned, no shell) against the fake hub.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CliError, type CliIo } from '../../src/cli/io.js';
import { saveToken } from '../../src/cli/credentials.js';
import { buildProgram } from '../../src/cli/program.js';
import { HubClient } from '../../src/hub/client.js';
import { startServer } from '../../src/main.js';
import { login, register } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/index.js';
import { pseudoBytes, tempDir } from './helpers.js';
import { syntheticModelRepo } from './synthetic-model.js';

const CLI = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

let hub: FakeHub;
let root: { dir: string; cleanup: () => Promise<void> };
let env: Record<string, string>;

beforeAll(async () => {
  hub = await startFakeHub({
    repos: [
      syntheticModelRepo('mlx-community/Tiny-Llama-4bit', 300_000),
      { id: 'org/Big-GGUF', tags: ['gguf'], files: [{ path: 'a-Q4_K_M.gguf', content: pseudoBytes(3 * 1024 * 1024, 2) }, { path: 'a-Q8_0.gguf', content: pseudoBytes(1000, 3) }] },
    ],
  });
  root = await tempDir('cli-models');
  // A port that was just freed refuses connections: the commands see no running server unless a test starts one.
  env = { PATH: process.env.PATH ?? '', HOME: root.dir, HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(root.dir, 'hub'), MLX_MANAGER_HOME: join(root.dir, 'data'), MLX_MANAGER_PORT: String(await closedPort()) };
});
afterAll(async () => {
  await hub?.close();
  await root?.cleanup();
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: SERVER_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function run(args: string[], timeoutMs = 90_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = start(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${args.join(' ')}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run a command in-process (fast); the entry point itself is exercised by the spawned runs. */
async function inProcess(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: { ...env, ...extraEnv }, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
  try {
    await buildProgram(io).parseAsync(['node', 'mlx-manager', ...args]);
    return { code: 0, stdout: out.join('\n'), stderr: err.join('\n') };
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, stdout: out.join('\n'), stderr: e.message };
    throw e;
  }
}

it('search, pull, list and rm', async () => {
  const search = await inProcess(['models', 'search', 'tiny', '--json']);
  expect(search.code, search.stderr).toBe(0);
  expect(JSON.parse(search.stdout).models[0].id).toBe('mlx-community/Tiny-Llama-4bit');
  const table = await inProcess(['models', 'search', '--all', '--sort', 'likes']);
  expect(table.stdout).toMatch(/^MODEL\s+SIZE\s+DOWNLOADS/);
  expect(table.stdout).toContain('org/Big-GGUF');
  expect((await inProcess(['models', 'search', '--sort', 'bogus'])).code).toBe(2);

  // Through the real entry point once.
  const pull = await run(['models', 'pull', 'mlx-community/Tiny-Llama-4bit']);
  expect(pull.code, pull.stderr).toBe(0);
  expect(pull.stdout).toMatch(/Downloaded mlx-community\/Tiny-Llama-4bit@[0-9a-f]{10}: 5 files/);

  const gguf = await inProcess(['models', 'pull', 'org/Big-GGUF', '--include', '*Q8_0.gguf']);
  expect(gguf.code, gguf.stderr).toBe(0);
  expect(gguf.stdout).toContain(': 1 files');

  const list = await inProcess(['models', 'list', '--json']);
  const models = JSON.parse(list.stdout).models as { id: string; characteristics: { quantization_bits?: number } | null }[];
  expect(models.map((m) => m.id)).toEqual(['mlx-community/Tiny-Llama-4bit', 'org/Big-GGUF']);
  expect(models[0]?.characteristics?.quantization_bits).toBe(4);
  expect((await inProcess(['models', 'list'])).stdout).toMatch(/mlx-community\/Tiny-Llama-4bit\s+\S+ \S+\s+Llama\s+4-bit\s+2048/);

  const rm = await inProcess(['models', 'rm', 'org/Big-GGUF']);
  expect(rm.code, rm.stderr).toBe(0);
  const again = await inProcess(['models', 'rm', 'org/Big-GGUF']);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/is not in/);
  const bad = await inProcess(['models', 'pull', '../etc']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/Invalid repo id/);
  const missing = await inProcess(['models', 'pull', 'nobody/nothing']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/HF_TOKEN/);
}, 180_000);

it('pull is Ctrl-C safe and resumes', async () => {
  hub.setFaults({ throttleBytesPerSec: 512 * 1024 });
  const child = start(['models', 'pull', 'org/Big-GGUF', '--include', '*Q4_K_M.gguf']);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const key = 'org/Big-GGUF/a-Q4_K_M.gguf';
  const deadline = Date.now() + 60_000;
  while ((hub.stats.bytesServed.get(key) ?? 0) < 600_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(stderr).toMatch(/Interrupted: partial files are kept/);
  const blobs = await readdir(join(root.dir, 'hub', 'models--org--Big-GGUF', 'blobs'));
  expect(blobs.some((b) => b.endsWith('.incomplete'))).toBe(true);
  hub.setFaults({});
  const resumed = await run(['models', 'pull', 'org/Big-GGUF', '--include', '*Q4_K_M.gguf']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const fetched = /\((\d+(?:\.\d+)?) MB fetched\)/.exec(resumed.stdout);
  expect(Number(fetched?.[1])).toBeLessThan(3);
}, 240_000);

it('rm goes through a running server, which refuses while a profile uses the model', async () => {
  const home = join(root.dir, 'server-home');
  const client = new HubClient({ endpoint: hub.url });
  const server = await startServer(testConfig(home), {
    logger: false,
    webRoot: null,
    models: { hub: { client, cacheDir: join(root.dir, 'hub'), offline: false, endpoint: hub.url }, isModelInUse: (r) => r === 'mlx-community/Tiny-Llama-4bit' },
  });
  try {
    await register(server.app, 'admin@example.com');
    await saveToken(home, (await login(server.app, 'admin@example.com')).token);
    const viaServer = { MLX_MANAGER_HOME: home, MLX_MANAGER_PORT: String(new URL(server.url).port) };
    expect((await inProcess(['models', 'pull', 'org/Big-GGUF', '--include', '*Q8_0.gguf'])).code).toBe(0);
    const refused = await inProcess(['models', 'rm', 'mlx-community/Tiny-Llama-4bit'], viaServer);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/409.*used by a running server/);
    const ok = await inProcess(['models', 'rm', 'org/Big-GGUF'], viaServer);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await inProcess(['models', 'list', '--json'])).stdout).not.toContain('org/Big-GGUF');
  } finally {
    await server.close();
    await client.close();
  }
}, 60_000);
