import { join } from 'node:path';
import { ConfigSchema, type Config } from './schema.js';

export const ENV_PREFIX = 'MLX_MANAGER_';
export const CONFIG_FILE_NAME = 'config.json';

export type Env = Readonly<Record<string, string | undefined>>;

/** A bad setting: `key` is what the user must fix (env var name or config-file key). */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`Invalid configuration: ${key}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function envName(key: string): string {
  return ENV_PREFIX + key.toUpperCase();
}

/** The data folder: `MLX_MANAGER_HOME`, else `~/.mlx-manager` (osHome is the user's home). */
export function resolveHome(env: Env, osHome: string): string {
  const home = env[envName('home')]?.trim();
  if (home) {
    if (!home.startsWith('/')) throw new ConfigError(envName('home'), 'must be an absolute path');
    return home;
  }
  return join(osHome, '.mlx-manager');
}

/**
 * Pure: builds the configuration from env vars and the optional config-file text.
 * Throws ConfigError naming the first offending key (env var name when it came from env).
 */
export function loadConfig(env: Env, osHome: string, fileContents?: string): Config {
  const home = resolveHome(env, osHome);
  const fromFile = parseFile(fileContents);
  const fromEnv: Record<string, string> = {};
  const keys = Object.keys(ConfigSchema.shape).filter((k) => k !== 'home');
  for (const key of keys) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  for (const key of Object.keys(fromFile)) {
    if (key === 'home') throw new ConfigError(`${CONFIG_FILE_NAME}: home`, 'set MLX_MANAGER_HOME instead');
  }
  const result = ConfigSchema.safeParse({ ...fromFile, ...fromEnv, home });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? '') : String(issue?.path[0] ?? '');
  const source = key in fromEnv ? envName(key) : `${CONFIG_FILE_NAME}: ${key}`;
  const message = issue?.code === 'unrecognized_keys' ? 'unknown setting' : (issue?.message ?? 'invalid');
  throw new ConfigError(source, message);
}

function parseFile(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(CONFIG_FILE_NAME, `is not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(CONFIG_FILE_NAME, 'must hold a JSON object');
  }
  return parsed as Record<string, unknown>;
}
