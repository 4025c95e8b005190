// jose's per-function entries: its package entry also loads JWE, JWKS and key import/export.
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';

export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_COOKIE = 'mlxm_session';
/** Clocks of the machines that share a PostgreSQL database may disagree by this much. */
export const CLOCK_SKEW_SECONDS = 60;

export interface SessionClaims {
  userId: string;
  /** Issued-at, in seconds since the epoch. */
  issuedAt: number;
  /** The user's session epoch when the token was issued; a token of an older epoch is dead. */
  epoch: number;
}

/**
 * Signed HS256 session tokens (7 days). Revocation is by the user's session epoch (bumped on
 * password reset, disable, role change and logout) and status, both re-read per request.
 */
export function createSessions(secret: string, nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds: SESSION_TTL_SECONDS,
    async issue(userId: string, epoch: number): Promise<string> {
      const iat = nowSeconds();
      return new SignJWT({ ep: epoch })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + SESSION_TTL_SECONDS)
        .sign(key);
    },
    /**
     * The claims of a valid token; undefined for anything else (never throws). Both `exp` and
     * `iat` are required, `iat` may not be in the future, and no token lives past the TTL
     * whatever its `exp` says (a leaked signing key cannot mint forever-tokens unnoticed).
     */
    async verify(token: string): Promise<SessionClaims | undefined> {
      try {
        const now = nowSeconds();
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          requiredClaims: ['exp', 'iat', 'sub'],
          maxTokenAge: SESSION_TTL_SECONDS,
          clockTolerance: CLOCK_SKEW_SECONDS,
          currentDate: new Date(now * 1000),
        });
        const { sub, iat, ep } = payload;
        if (typeof sub !== 'string' || sub === '' || typeof iat !== 'number' || typeof ep !== 'number' || !Number.isInteger(ep)) return undefined;
        if (iat > now + CLOCK_SKEW_SECONDS) return undefined;
        return { userId: sub, issuedAt: iat, epoch: ep };
      } catch {
        return undefined; // expired, forged or malformed: all mean "not logged in"
      }
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
