import type { LoginResponse } from '@mlx-manager/contract';
import type { Command } from 'commander';
import { configFor } from './config.js';
import { forgetToken, saveToken } from './credentials.js';
import type { CliIo } from './io.js';
import { createServerClient } from './server-client.js';

/** `login` / `logout`: a session for the commands that talk to the running server. */
export function registerLogin(program: Command, io: CliIo): void {
  program
    .command('login')
    .description('log in to the running server; later commands use this session (kept 0600 in the data folder)')
    .requiredOption('--email <email>', 'account email')
    .option('--password <password>', 'password (default: MLX_MANAGER_PASSWORD)')
    .action(async (opts: { email: string; password?: string }) => {
      const config = await configFor(io);
      const password = opts.password ?? io.env.MLX_MANAGER_PASSWORD ?? '';
      const res = await createServerClient(config).request<LoginResponse>('POST', '/api/auth/login', { email: opts.email, password });
      await saveToken(config.home, res.access_token);
      io.stdout(`Logged in as ${res.user.email}${res.user.is_admin ? ' (administrator)' : ''}`);
    });

  program
    .command('logout')
    .description('forget the session saved by login')
    .action(async () => {
      const config = await configFor(io);
      await forgetToken(config.home);
      io.stdout('Logged out');
    });
}
