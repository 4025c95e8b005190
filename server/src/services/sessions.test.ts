import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { SESSION_TTL_SECONDS, createSessions } from './sessions.js';

const SECRET = 'a'.repeat(64);
const key = new TextEncoder().encode(SECRET);
const NOW = 1_800_000_000;

function sign(claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT): Promise<string> {
  return build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u1')).sign(key);
}

describe('session tokens', () => {
  const sessions = createSessions(SECRET, () => NOW);

  it('round-trips the user and the session epoch', async () => {
    expect(await sessions.verify(await sessions.issue('u1', 3))).toEqual({ userId: 'u1', issuedAt: NOW, epoch: 3 });
  });

  it('refuses a token without exp, without iat, or without an epoch', async () => {
    expect(await sessions.verify(await sign({ ep: 0 }, (j) => j.setIssuedAt(NOW)))).toBeUndefined();
    expect(await sessions.verify(await sign({ ep: 0 }, (j) => j.setExpirationTime(NOW + 60)))).toBeUndefined();
    expect(await sessions.verify(await sign({}, (j) => j.setIssuedAt(NOW).setExpirationTime(NOW + 60)))).toBeUndefined();
  });

  it('refuses an iat in the future beyond the clock skew, accepts a small skew', async () => {
    expect(await sessions.verify(await sign({ ep: 0 }, (j) => j.setIssuedAt(NOW + 3600).setExpirationTime(NOW + 7200)))).toBeUndefined();
    expect(await sessions.verify(await sign({ ep: 0 }, (j) => j.setIssuedAt(NOW + 5).setExpirationTime(NOW + 7200)))).toMatchObject({ userId: 'u1' });
  });

  it('caps the age at the session lifetime whatever exp says', async () => {
    const old = NOW - SESSION_TTL_SECONDS - 3600;
    expect(await sessions.verify(await sign({ ep: 0 }, (j) => j.setIssuedAt(old).setExpirationTime(NOW + 365 * 86400)))).toBeUndefined();
  });
});
