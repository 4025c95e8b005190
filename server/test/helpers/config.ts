import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema, type Config, type ConfigInput } from '../../src/config/schema.js';

export interface TempHome {
  home: string;
  remove(): Promise<void>;
}

export async function tempHome(): Promise<TempHome> {
  const home = await mkdtemp(join(tmpdir(), 'mlxm-test-'));
  return { home, remove: () => rm(home, { recursive: true, force: true }) };
}

/** A valid config for tests: loopback, port 0, silent logs, data in `home`. */
export function testConfig(home: string, overrides: Partial<ConfigInput> = {}): Config {
  return ConfigSchema.parse({ home, host: '127.0.0.1', port: 0, log_level: 'silent', ...overrides });
}
