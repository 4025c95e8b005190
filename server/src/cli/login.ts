import type { LoginResponse } from '@mlx-manager/contract';
import type { Command } from 'commander';
import { configFor } from './config.js';
import { forgetToken, readToken, saveToken } from './credentials.js';
import type { CliIo } from './io.js';
import { readPassword } from './password-input.js';
import { createServerClient } from './server-client.js';

/** `login` / `logout`: a session for the commands that talk to the running server. */
export function registerLogin(program: Command, io: CliIo): void {
  program
    .command('login')
    .description('log in to the running server; later commands use this session (kept 0600 in the data folder)')
    .requiredOption('--email <email>', 'account email')
    .option('--password-stdin', 'read the password from standard input (default: MLX_MANAGER_PASSWORD, else ask on the terminal)')
    .option('--password <password>', 'password on the command line (discouraged: visible in ps and shell history)')
    .action(async (opts: { email: string; password?: string; passwordStdin?: boolean }) => {
      const config = await configFor(io);
      const password = await readPassword(opts, io);
      const res = await createServerClient(config).request<LoginResponse>('POST', '/api/auth/login', { email: opts.email, password });
      await saveToken(config.home, res.access_token);
      io.stdout(`Logged in as ${res.user.email}${res.user.is_admin ? ' (administrator)' : ''}`);
    });

  program
    .command('logout')
    .description('end the session saved by login (on the server too, when it runs) and forget it')
    .action(async () => {
      const config = await configFor(io);
      const token = await readToken(io, config);
      // Ending it on the server makes a copied token useless too; a server that is not running
      // cannot honour the token until it starts, and the local copy goes either way.
      const ended = token ? await createServerClient(config, token).request('POST', '/api/auth/logout').then(() => true, () => false) : false;
      await forgetToken(config.home);
      io.stdout(ended || !token ? 'Logged out' : 'Logged out here (the server did not answer: the session ends when it expires or at the next "log out everywhere")');
    });
}
