import { RegisterRequest } from '@mlx-manager/contract';
import type { Command } from 'commander';
import { createDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { AppError } from '../services/errors.js';
import { createCoreServices } from '../services/index.js';
import { configFor } from './config.js';
import { CliError, type CliIo } from './io.js';
import { readNewPassword } from './password-input.js';

/** `user create`: works on the database directly, so it needs no running server. */
export function registerUser(program: Command, io: CliIo): void {
  const user = program.command('user').description('manage accounts');
  user
    .command('create')
    .description('create an approved account directly in the database (no server needed)')
    .requiredOption('--email <email>', 'email address (the login name)')
    .option('--password-stdin', 'read the password from standard input (default: ask for it on the terminal)')
    .option('--password <password>', 'password on the command line (discouraged: visible in ps and shell history)')
    .option('--admin', 'make the account an administrator', false)
    .action(async (opts: { email: string; password?: string; passwordStdin?: boolean; admin: boolean }) => {
      const password = await readNewPassword(opts, io);
      const input = RegisterRequest.safeParse({ email: opts.email, password });
      if (!input.success) {
        const issue = input.error.issues[0];
        throw new CliError(`Invalid ${issue?.path[0] === 'email' ? '--email' : 'password'}: ${issue?.message ?? 'invalid'}`, 2);
      }
      const config = await configFor(io);
      const database = createDatabase(config);
      try {
        await migrateToLatest(database.db);
        const services = await createCoreServices(config, database.db);
        const created = await services.users.createApproved({ ...input.data, isAdmin: opts.admin });
        io.stdout(`Created ${created.is_admin ? 'administrator' : 'user'} ${created.email} (approved)`);
      } catch (err) {
        if (err instanceof AppError) throw new CliError(err.message);
        throw err;
      } finally {
        await database.destroy();
      }
    });
}
