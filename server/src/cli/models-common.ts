import { RepoId } from '@mlx-manager/contract';
import { HubError } from '../hub/errors.js';
import { CliError } from './io.js';
import { notRunningMessage, type ServerClient } from './server-client.js';

/** Shared by the `models` commands: argument checks and hub errors as one clear line. */

export function parseRepo(value: string): string {
  const r = RepoId.safeParse(value);
  if (!r.success) throw new CliError(`Invalid repo id ${JSON.stringify(value)}: expected "org/name"`, 2);
  return r.data;
}

export function hubFailure(err: unknown): never {
  if (err instanceof HubError) throw new CliError(err.message);
  throw err;
}

/** Whether the server answers at all (any other failure is reported, not guessed away). */
export async function serverIsUp(client: ServerClient): Promise<boolean> {
  try {
    await client.request('GET', '/health');
    return true;
  } catch (err) {
    if (err instanceof CliError && err.message === notRunningMessage(client.baseUrl)) return false;
    throw err;
  }
}
