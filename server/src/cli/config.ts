import { homedir } from 'node:os';
import { ConfigError } from '../config/load.js';
import { readConfig } from '../config/read.js';
import type { Config } from '../config/schema.js';
import { CliError, type CliIo } from './io.js';

/** The configuration for a command; a bad setting becomes exit code 2 naming the key. */
export async function configFor(io: CliIo): Promise<Config> {
  try {
    return await readConfig(io.env, homedir());
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 2);
    throw err;
  }
}
