import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config/schema.js';
import { createDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { anySealedBy, resealAll } from '../services/key-rotation.js';
import { createSecretBox, SecretBoxError } from '../services/secret-box.js';
import { readSecret } from '../services/secrets.js';
import { configFor } from './config.js';
import { CliError, type CliIo } from './io.js';
import { createServerClient, notRunningMessage } from './server-client.js';
import { readStdinText } from './stdin.js';

/**
 * `keys rotate`: a new master key for the secrets stored in the database (provider keys, profile
 * secrets…). Every sealed column is re-sealed in one transaction; the key file is replaced only
 * after the commit, by renaming a file written (and flushed) before it, so an interruption at any
 * point leaves a key that opens the data: see docs/gateway-config.md, "Secrets at rest".
 */

/** The generated key file (services/secrets.ts creates it on first start). */
export function masterKeyPath(home: string): string {
  return join(home, 'secrets', 'master.key');
}

async function serverAnswers(config: Config): Promise<boolean> {
  const client = createServerClient(config);
  try {
    await client.request('GET', '/health');
    return true;
  } catch (err) {
    if (err instanceof CliError && err.message === notRunningMessage(client.baseUrl)) return false;
    return true; // something answers there: do not risk it
  }
}

/** Writes and flushes a 0600 file that must not exist yet. */
async function writeKeyFile(file: string, key: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(key + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface KeysOptions {
  /** Reads the new key for `--new-key-stdin` (tests pass a string). */
  readStdin?: () => Promise<string>;
}

export function registerKeys(program: Command, io: CliIo, options: KeysOptions = {}): void {
  const keys = program.command('keys').description('the master key that encrypts stored secrets (provider API keys, profile secrets)');
  keys
    .command('rotate')
    .description('re-encrypt every stored secret under a new master key (stop the server first)')
    .option('--new-key-stdin', 'read the new key (at least 32 characters) from standard input instead of generating one', false)
    .option('--json', 'print the result as JSON', false)
    .action(async (opts: { newKeyStdin: boolean; json: boolean }) => {
      const config = await configFor(io);
      const fromConfig = config.master_key !== undefined;
      if (fromConfig && !opts.newKeyStdin) {
        throw new CliError(
          'The master key comes from MLX_MANAGER_MASTER_KEY (or master_key in config.json), which this command cannot change. ' +
            'Pipe the new key in with `mlx-manager keys rotate --new-key-stdin`, then set MLX_MANAGER_MASTER_KEY to it before the next start.',
        );
      }
      if (await serverAnswers(config)) throw new CliError('MLX Manager is running: stop it (and every other instance sharing this database) before rotating the master key.');

      const keyFile = masterKeyPath(config.home);
      const nextFile = `${keyFile}.next`;
      const oldKey = fromConfig ? config.master_key : await readSecret(keyFile);
      if (!oldKey) return io.stdout('No master key yet: one is created at the first start. Nothing to rotate.');
      const newKey = opts.newKeyStdin ? (await (options.readStdin ?? readStdinText)()).trim() : randomBytes(32).toString('hex');
      if (newKey.length < 32) throw new CliError('The new key must be at least 32 characters.');
      if (newKey === oldKey) throw new CliError('The new key is the current key.');
      const from = createSecretBox(oldKey);
      const to = createSecretBox(newKey);

      const database = createDatabase(config);
      try {
        await migrateToLatest(database.db);
        if (!fromConfig) {
          // A rotation stopped between its commit and the rename left the new key beside the old one.
          const pending = await readSecret(nextFile);
          if (pending && (await anySealedBy(database.db, createSecretBox(pending)))) {
            await rename(nextFile, keyFile);
            throw new CliError(`An interrupted rotation had already re-encrypted the secrets; its key is now in ${keyFile}. Run the command again to rotate once more.`);
          }
          await rm(nextFile, { force: true });
          await writeKeyFile(nextFile, newKey);
        }
        let counts;
        try {
          counts = await resealAll(database.db, from, to);
        } catch (err) {
          if (!fromConfig) await rm(nextFile, { force: true });
          if (err instanceof SecretBoxError) throw new CliError(`Nothing was changed: a stored secret could not be opened with the current key (${err.message}).`);
          throw err;
        }
        if (!fromConfig) await rename(nextFile, keyFile);
        const total = counts.reduce((n, c) => n + c.rows, 0);
        if (opts.json) return io.stdout(JSON.stringify({ rotated: true, key_file: fromConfig ? null : keyFile, key_id: to.keyId, columns: counts }, null, 2));
        io.stdout(`Re-encrypted ${total} stored secret${total === 1 ? '' : 's'} (${counts.map((c) => `${c.table}.${c.column}: ${c.rows}`).join(', ')}).`);
        io.stdout(fromConfig ? 'Now set MLX_MANAGER_MASTER_KEY (or master_key in config.json) to the new key before starting MLX Manager.' : `The new master key is in ${keyFile}.`);
      } finally {
        await database.destroy();
      }
    });
}
