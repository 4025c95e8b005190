import { RepoId } from '@mlx-manager/contract';
import { HubError } from '../hub/errors.js';
import { CliError } from './io.js';

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
