import type { Command } from 'commander';
import { ConfigSchema, type Config } from '../config/schema.js';
import { createPrettyLogStream } from '../http/log-pretty.js';
import { startServer } from '../main.js';
import { configFor } from './config.js';
import { CliError, type CliIo } from './io.js';
import { leanServing } from './lean-start.js';

/** The exact line the e2e harness and scripts wait for. */
export function listeningLine(url: string): string {
  return `MLX Manager listening on ${url}`;
}

export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the web app, management API and gateway')
    .option('--host <host>', 'address to bind (default: MLX_MANAGER_HOST or 127.0.0.1)')
    .option('--port <port>', 'port to listen on; 0 picks a free port (default: MLX_MANAGER_PORT or 8080)')
    .action(async (opts: { host?: string; port?: string }) => {
      const base = await configFor(io);
      const parsed = ConfigSchema.safeParse({ ...base, ...(opts.host !== undefined && { host: opts.host }), ...(opts.port !== undefined && { port: opts.port }) });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`Invalid option --${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`, 2);
      }
      let server;
      try {
        server = await startServer(parsed.data, { handleSignals: true, ...logStreamFor(parsed.data) });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`Port ${parsed.data.port} on ${parsed.data.host} is already in use; pick another with --port`);
        if (code === 'EACCES') throw new CliError(`Not allowed to listen on ${parsed.data.host}:${parsed.data.port}`);
        throw err;
      }
      // Started: the optimising compiler comes back, and load (not start-up) now decides how
      // large the young generation grows.
      leanServing();
      io.stdout(listeningLine(server.url));
    });
}

/** Readable lines on a terminal (or when asked), pino's JSON otherwise. */
function logStreamFor(config: Config): { logStream?: NodeJS.WritableStream } {
  const pretty = config.log_format === 'pretty' || (config.log_format === 'auto' && process.stderr.isTTY === true);
  return pretty ? { logStream: createPrettyLogStream(process.stderr, { color: process.stderr.isTTY === true && !process.env.NO_COLOR }) } : {};
}
