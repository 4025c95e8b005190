import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { readConfig } from '../../src/config/read.js';

const HOME = '/home/someone';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, HOME);
    expect(c).toMatchObject({ home: '/home/someone/.mlx-manager', host: '127.0.0.1', port: 8080, default_port_start: 10240, log_level: 'info' });
    expect(c.database_url).toBeUndefined();
    expect(c.jwt_secret).toBeUndefined();
  });

  it('reads MLX_MANAGER_* env vars, coercing numbers', () => {
    const c = loadConfig(
      { MLX_MANAGER_HOME: '/data/m', MLX_MANAGER_HOST: '0.0.0.0', MLX_MANAGER_PORT: '9000', MLX_MANAGER_DATABASE_URL: 'postgres://u@h/db', MLX_MANAGER_DEFAULT_PORT_START: '11000' },
      HOME,
    );
    expect(c).toMatchObject({ home: '/data/m', host: '0.0.0.0', port: 9000, database_url: 'postgres://u@h/db', default_port_start: 11000 });
  });

  it('env wins over the file; the file fills the rest; unrelated MLX_MANAGER_ vars are ignored', () => {
    const c = loadConfig({ MLX_MANAGER_PORT: '9001', MLX_MANAGER_TEST_SKIP_POSTGRES: '1' }, HOME, JSON.stringify({ port: 7000, host: '::1' }));
    expect(c.port).toBe(9001);
    expect(c.host).toBe('::1');
  });

  it.each([
    [{ MLX_MANAGER_PORT: 'eighty' }, undefined, 'MLX_MANAGER_PORT'],
    [{ MLX_MANAGER_PORT: '70000' }, undefined, 'MLX_MANAGER_PORT'],
    [{ MLX_MANAGER_DATABASE_URL: 'mysql://x' }, undefined, 'MLX_MANAGER_DATABASE_URL'],
    [{ MLX_MANAGER_JWT_SECRET: 'short' }, undefined, 'MLX_MANAGER_JWT_SECRET'],
    [{ MLX_MANAGER_HOME: 'relative/path' }, undefined, 'MLX_MANAGER_HOME'],
    [{ MLX_MANAGER_LOG_LEVEL: 'loud' }, undefined, 'MLX_MANAGER_LOG_LEVEL'],
    [{}, '{"port": "x"}', 'config.json: port'],
    [{}, '{"colour": "blue"}', 'config.json: colour'],
    [{}, '{"home": "/x"}', 'config.json: home'],
    [{}, '{not json', 'config.json'],
    [{}, '[1]', 'config.json'],
  ])('an invalid value names the offending key (%j %s)', (env, file, key) => {
    const err = errorOf(() => loadConfig(env, HOME, file));
    expect(err.key).toBe(key);
    expect(err.message).toContain(key);
  });

  it('readConfig reads config.json from the data folder, and tolerates its absence', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlxm-config-'));
    try {
      expect((await readConfig({ MLX_MANAGER_HOME: dir }, HOME)).port).toBe(8080);
      await writeFile(join(dir, 'config.json'), JSON.stringify({ port: 8181 }));
      expect((await readConfig({ MLX_MANAGER_HOME: dir }, HOME)).port).toBe(8181);
      await writeFile(join(dir, 'config.json'), JSON.stringify({ port: -1 }));
      await expect(readConfig({ MLX_MANAGER_HOME: dir }, HOME)).rejects.toThrow(/config\.json: port/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
