import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { CliIo } from './io.js';
import { createServerClient, type ServerClient } from './server-client.js';

/** Where `mlx-manager login` keeps the session token: the data folder's secrets, 0600. */
export function tokenPath(home: string): string {
  return join(home, 'secrets', 'cli-token');
}

/** The CLI's session token: `MLX_MANAGER_TOKEN`, else the one saved by `login`, else none. */
export async function readToken(io: CliIo, config: Pick<Config, 'home'>): Promise<string | undefined> {
  const fromEnv = io.env.MLX_MANAGER_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  try {
    const saved = (await readFile(tokenPath(config.home), 'utf8')).trim();
    return saved === '' ? undefined : saved;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function saveToken(home: string, token: string): Promise<void> {
  await mkdir(join(home, 'secrets'), { recursive: true, mode: 0o700 });
  await writeFile(tokenPath(home), token + '\n', { mode: 0o600 });
  await chmod(tokenPath(home), 0o600); // an existing file keeps its old mode on write
}

export async function forgetToken(home: string): Promise<void> {
  await rm(tokenPath(home), { force: true });
}

/** A client for the running server carrying the CLI's session, if there is one. */
export async function authedClient(io: CliIo, config: Config): Promise<ServerClient> {
  return createServerClient(config, await readToken(io, config));
}
