import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecret } from './secrets.js';
import { createSessions } from './sessions.js';

describe('secrets and sessions', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'mlxm-secret-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('generates a secret once, persists it 0600 in a 0700 folder, and reuses it', async () => {
    const [a, b] = await Promise.all([loadOrCreateSecret(home, 'jwt.key', undefined), loadOrCreateSecret(home, 'jwt.key', undefined)]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect((await stat(join(home, 'secrets', 'jwt.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'secrets'))).mode & 0o777).toBe(0o700);
    expect(await loadOrCreateSecret(home, 'jwt.key', undefined)).toBe(a);
    expect((await readFile(join(home, 'secrets', 'jwt.key'), 'utf8')).trim()).toBe(a);
  });

  it('a configured secret wins and nothing is written', async () => {
    expect(await loadOrCreateSecret(home, 'jwt.key', 'from-env-'.repeat(4))).toBe('from-env-'.repeat(4));
    await expect(stat(join(home, 'secrets', 'jwt.key'))).rejects.toThrow();
  });

  it('tokens verify with their secret only', async () => {
    const s1 = createSessions('a'.repeat(64));
    const s2 = createSessions('b'.repeat(64));
    const token = await s1.issue('user-1', 0);
    expect(await s1.verify(token)).toEqual({ userId: 'user-1', issuedAt: expect.any(Number), epoch: 0 });
    expect(await s2.verify(token)).toBeUndefined();
    expect(await s1.verify('not.a.jwt')).toBeUndefined();
    // an unsigned token ("alg: none") is refused
    const [, payload] = token.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(await s1.verify(none)).toBeUndefined();
  });
});
