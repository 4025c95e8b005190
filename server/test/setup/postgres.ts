/*
 * Vitest globalSetup: a throw-away PostgreSQL server for the repository suite.
 * As root it uses Debian's cluster tools (which run the server as the `postgres` user, since
 * PostgreSQL refuses root); otherwise plain initdb/pg_ctl in a temp folder. Either way it
 * listens on 127.0.0.1 on a spare port, trusts local connections (nothing else can reach it),
 * creates a fresh database for this run, provides its URL, and removes everything in teardown.
 * If it cannot start, the reason is provided instead and the PostgreSQL suite fails with it,
 * unless MLX_MANAGER_TEST_SKIP_POSTGRES=1 (then that suite reports itself skipped).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

const run = promisify(execFile);

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    postgresError: string | null;
  }
}

function pgBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

async function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Cluster {
  port: number;
  stop(): Promise<void>;
}

/** Drops test clusters left by runs that were killed before their teardown (their vitest pid is gone). */
async function dropStaleClusters(): Promise<void> {
  const { stdout } = await run('pg_lsclusters', ['--no-header'], { timeout: 30_000 });
  for (const line of stdout.split('\n')) {
    const [version, name] = line.trim().split(/\s+/);
    const pid = /^mlxm_test_(\d+)_[0-9a-f]+$/.exec(name ?? '')?.[1];
    if (!version || !name || !pid || isAlive(Number(pid))) continue;
    await run('pg_dropcluster', [version, name, '--stop'], { timeout: 60_000 }).catch((err: unknown) => {
      console.warn(`could not drop stale test cluster ${name}: ${(err as Error).message}`);
    });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: no such process
  }
}

/** Debian's tools: root creates the cluster, the server itself runs as `postgres`. */
async function startDebianCluster(version: string, port: number): Promise<Cluster> {
  await dropStaleClusters();
  const name = `mlxm_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  await run('pg_createcluster', [version, name, '-p', String(port), '--', '--auth-local=trust', '--auth-host=trust'], { timeout: 60_000 });
  const stop = async () => {
    await run('pg_dropcluster', [version, name, '--stop'], { timeout: 60_000 });
  };
  try {
    await run('pg_ctlcluster', [version, name, 'start', '--', '-o', `-c listen_addresses=127.0.0.1 -c fsync=off`], { timeout: 60_000 });
  } catch (err) {
    await stop().catch(() => undefined); // the start error is the one worth reporting
    throw err;
  }
  return { port, stop };
}

/** Non-root: the server runs as the current user from a temp data folder. */
async function startLocalCluster(bin: string, port: number): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'mlxm-pg-'));
  const data = join(dir, 'data');
  await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], { timeout: 60_000 });
  await run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'], { timeout: 60_000 });
  return {
    port,
    stop: async () => {
      await run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { timeout: 60_000 });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function createDatabase(port: number): Promise<string> {
  const name = `mlxm_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `postgres://postgres@127.0.0.1:${port}/${name}`;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let cluster: Cluster | undefined;
  let url: string | null = null;
  let error: string | null = null;
  if (process.env.MLX_MANAGER_TEST_SKIP_POSTGRES === '1') {
    error = 'skipped: MLX_MANAGER_TEST_SKIP_POSTGRES=1';
  } else {
    try {
      const bin = pgBinDir();
      if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres); run scripts/setup-test-env.sh');
      const port = await sparePort();
      const version = bin.split('/').at(-2) ?? '';
      cluster = process.getuid?.() === 0 ? await startDebianCluster(version, port) : await startLocalCluster(bin, port);
      url = await createDatabase(cluster.port);
    } catch (err) {
      const e = err as Error & { stderr?: string };
      error = `PostgreSQL could not be started: ${e.message}${e.stderr ? `\n${e.stderr}` : ''}`;
    }
  }
  project.provide('postgresUrl', url);
  project.provide('postgresError', error);
  return async () => {
    await cluster?.stop();
  };
}
