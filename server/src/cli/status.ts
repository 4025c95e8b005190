import type { Health, ServerList } from '@mlx-manager/contract';
import type { Command } from 'commander';
import { configFor } from './config.js';
import { readToken } from './credentials.js';
import { CliError, type CliIo } from './io.js';
import { formatBytes, table } from './models-format.js';
import { createServerClient } from './server-client.js';

/**
 * `status`: is the manager running (unauthenticated /health), and — with a session — its
 * engines. Never fails with a bare 401 (L-32 in docs/lessons-from-the-original.md): without a
 * login it says how to get one.
 */
export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('is MLX Manager running, and which engines run')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const config = await configFor(io);
      const token = await readToken(io, config);
      const client = createServerClient(config, token);
      const health = await client.request<Health>('GET', '/health').catch((err: unknown) => {
        if (err instanceof CliError) throw new CliError(err.message, 3);
        throw err;
      });
      let servers: ServerList['servers'] | null = null;
      if (token) servers = (await client.request<ServerList>('GET', '/api/servers')).servers;
      if (opts.json) return io.stdout(JSON.stringify({ url: client.baseUrl, version: health.version, servers }, null, 2));
      io.stdout(`MLX Manager ${health.version} is running at ${client.baseUrl}`);
      if (!servers) return io.stdout('Log in (`mlx-manager login --email …`) or set MLX_MANAGER_TOKEN to see its engines.');
      const running = servers.filter((s) => s.state !== 'stopped');
      if (running.length === 0) return io.stdout(`No engine running (${servers.length} profile${servers.length === 1 ? '' : 's'}).`);
      const rows = [['PROFILE', 'STATE', 'PORT', 'PID', 'MEMORY', 'CPU', 'UPTIME']];
      for (const s of running) {
        rows.push([s.profile_name, s.state, String(s.port), s.pid === null ? '' : String(s.pid), s.memory_bytes === null ? '' : formatBytes(s.memory_bytes), s.cpu_percent === null ? '' : `${s.cpu_percent}%`, s.uptime_seconds === null ? '' : `${s.uptime_seconds}s`]);
      }
      for (const line of table(rows)) io.stdout(line);
      for (const s of running.filter((x) => x.state === 'failed')) io.stdout(`${s.profile_name}: ${s.error ?? 'failed'}`);
    });
}
