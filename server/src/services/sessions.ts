import { SignJWT, jwtVerify } from 'jose';

export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_COOKIE = 'mlxm_session';

export interface SessionClaims {
  userId: string;
  /** Issued-at, in seconds since the epoch. */
  issuedAt: number;
}

/** Signed HS256 session tokens (7 days). Revocation is by user status, re-read per request. */
export function createSessions(secret: string) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds: SESSION_TTL_SECONDS,
    async issue(userId: string): Promise<string> {
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(`${SESSION_TTL_SECONDS}s`)
        .sign(key);
    },
    /** The claims of a valid, unexpired token; undefined for anything else (never throws). */
    async verify(token: string): Promise<SessionClaims | undefined> {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || payload.sub === '' || typeof payload.iat !== 'number') return undefined;
        return { userId: payload.sub, issuedAt: payload.iat };
      } catch {
        return undefined; // expired, forged or malformed: all mean "not logged in"
      }
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
