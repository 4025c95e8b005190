import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILE_NAME, loadConfig, resolveHome, type Env } from './load.js';
import type { Config } from './schema.js';

/** The I/O side of loading: finds the data folder, reads its optional config.json, validates. */
export async function readConfig(env: Env = process.env, osHome: string = homedir()): Promise<Config> {
  const home = resolveHome(env, osHome);
  let text: string | undefined;
  try {
    text = await readFile(join(home, CONFIG_FILE_NAME), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return loadConfig(env, osHome, text);
}
