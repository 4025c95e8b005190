// Our server in the gateway benchmark: built, started as a user would (`mlx-manager serve`, in a
// throw-away data folder), then configured through its management API only — first admin, an
// API key, a provider pointing at the fake upstream and an exact route to it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChild, waitForLine, type Child } from './processes.js';

const run = promisify(execFile);

export interface OursServer {
  child: Child;
  url: string;
  /** Gateway API key (Bearer). */
  key: string;
  stop(): Promise<void>;
}

/**
 * Builds contract and server (like `npm start` does). When the type check fails (another change
 * in progress in the same tree), emits without it (`tsc --noCheck`) and says so: returns a note
 * for the report, or null after a clean build.
 */
export async function buildServer(root: string): Promise<string | null> {
  let note: string | null = null;
  for (const ws of ['contract', 'server']) {
    const tsc = (extra: string[]) => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, ws, 'tsconfig.build.json'), ...extra], { cwd: root, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
    try {
      await tsc([]);
    } catch (err) {
      const output = ((err as { stdout?: string }).stdout ?? (err as Error).message).trim();
      note = `the ${ws} type check failed at the time of the run (${output.split('\n')[0]?.slice(0, 200)}…); it was built with \`tsc --noCheck\``;
      await tsc(['--noCheck']);
    }
  }
  return note;
}

async function call<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`POST ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** A model name routed to an upstream (an OpenAI `/v1` base URL). */
export interface Upstream {
  model: string;
  baseURL: string;
  key: string;
}

/** Starts the built server with one provider and one exact route per upstream. */
export async function startOurs(root: string, upstreams: Upstream[], extraEnv: Record<string, string> = {}): Promise<OursServer> {
  const home = await mkdtemp(join(tmpdir(), 'mlxm-bench-gw-'));
  // warn: no line per request (the default, info, logs each one); the benchmark measures the proxy.
  const child = startChild(process.execPath, [join(root, 'server/dist/cli/index.js'), 'serve', '--host', '127.0.0.1', '--port', '0'], {
    PATH: process.env.PATH ?? '',
    MLX_MANAGER_HOME: home,
    MLX_MANAGER_LOG_LEVEL: 'warn',
    MLX_MANAGER_LOG_FORMAT: 'json',
    ...extraEnv,
  });
  const stop = async () => {
    await child.stop();
    await rm(home, { recursive: true, force: true });
  };
  try {
    const url = await waitForLine(child, /MLX Manager listening on (http:\/\/\S+)/, 60_000);
    const credentials = { email: 'bench@example.com', password: 'correct horse battery' };
    await call(url, '/api/auth/register', credentials);
    const token = (await call<{ access_token: string }>(url, '/api/auth/login', credentials)).access_token;
    const key = (await call<{ key: string }>(url, '/api/keys', { name: 'bench' }, token)).key;
    for (const [i, u] of upstreams.entries()) {
      const provider = await call<{ id: string }>(url, '/api/providers', { name: `bench-upstream-${i}`, kind: 'openai', base_url: u.baseURL, api_key: u.key, models: [u.model] }, token);
      await call(url, '/api/routes', { match: 'exact', pattern: u.model, targets: [{ provider_id: provider.id }] }, token);
      const explained = await call<{ targets: unknown[] }>(url, '/api/routes/explain', { model: u.model }, token);
      if (explained.targets.length === 0) throw new Error(`the route for ${u.model} explains to no target`);
    }
    return { child, url, key, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
