import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { serviceManager, type ServiceStatus } from '../engines/service-files.js';
import { configFor } from './config.js';
import { CliError, type CliIo } from './io.js';

/** The manager's own command line for the service: node + this CLI (compiled, or the source via tsx). */
function managerCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(here), here.endsWith('.ts') ? 'index.ts' : 'index.js');
  if (!entry.endsWith('.ts')) return [process.execPath, entry, 'serve'];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [process.execPath, '--import', tsx, entry, 'serve'];
}

function print(io: CliIo, s: ServiceStatus): void {
  io.stdout(`${s.platform}: ${s.installed ? `installed (${s.file})` : 'not installed'}; ${s.running ? `running${s.pid ? ` (pid ${s.pid})` : ''}` : 'not running'}`);
}

/** `service install|uninstall|status`: the manager as a systemd user unit (Linux) or launchd agent (macOS). */
export function registerService(program: Command, io: CliIo): void {
  const service = program.command('service').description('run MLX Manager as a user service (systemd on Linux, launchd on macOS)');
  const manager = () => {
    try {
      return serviceManager();
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  };

  service
    .command('install')
    .description('write and load the service; it starts now and at login')
    .action(async () => {
      const config = await configFor(io);
      const env: Record<string, string> = { MLX_MANAGER_HOME: config.home, PATH: io.env.PATH ?? '/usr/bin:/bin' };
      try {
        print(io, await manager().install({ command: managerCommand(), env, logDir: path.join(config.home, 'logs') }));
      } catch (err) {
        throw new CliError(`Service install failed: ${(err as Error).message}`);
      }
    });

  service
    .command('uninstall')
    .description('stop and remove the service')
    .action(async () => print(io, await manager().uninstall()));

  service
    .command('status')
    .description('is the service installed and running')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const s = await manager().status();
      if (opts.json) io.stdout(JSON.stringify(s, null, 2));
      else print(io, s);
    });
}
