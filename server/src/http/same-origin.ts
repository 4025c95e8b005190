import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../services/sessions.js';
import { bearerToken } from './auth.js';
import { ApiHttpError } from './errors.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface OriginFacts {
  method: string;
  /** The session cookie is what would authenticate the request (no bearer token, no API key). */
  cookieAuthenticated: boolean;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** This server's origin as the client addressed it, e.g. `http://127.0.0.1:8080`. */
  selfOrigin: string;
}

/**
 * Pure: may this request go on? Browsers attach the session cookie to requests any page makes,
 * and SameSite=Lax still sends it from another port of the same host (same site, other origin):
 * an unsafe request riding the cookie must come from this origin. `Sec-Fetch-Site` decides when
 * present; else `Origin`; a request with neither did not come from a modern browser's page.
 */
export function crossOriginRefused(f: OriginFacts): boolean {
  if (!UNSAFE_METHODS.has(f.method.toUpperCase()) || !f.cookieAuthenticated) return false;
  if (f.secFetchSite !== undefined) return f.secFetchSite !== 'same-origin' && f.secFetchSite !== 'none';
  if (f.origin !== undefined) {
    const origin = normaliseOrigin(f.origin);
    return origin === undefined || origin !== normaliseOrigin(f.selfOrigin);
  }
  return false;
}

/** Pure: `scheme://host[:port]` lower-cased, default ports dropped (browsers omit them); undefined if not a URL. */
export function normaliseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** Refuses cookie-authenticated unsafe requests from other origins (403 cross_origin). */
export function installSameOriginCheck(app: FastifyInstance): void {
  // onRequest (after the cookie parser's): refuse before the body is even read.
  // A plain callback hook, no promise: it runs on every request, and most (every API-key call)
  // carry no session cookie, so there is nothing to check.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.cookies?.[SESSION_COOKIE] === undefined) {
      done();
      return;
    }
    const cookieAuthenticated = bearerToken(request.headers.authorization) === undefined && header(request, 'x-api-key') === undefined;
    const refused = crossOriginRefused({
      method: request.method,
      cookieAuthenticated,
      origin: header(request, 'origin'),
      secFetchSite: header(request, 'sec-fetch-site'),
      selfOrigin: `${request.protocol}://${request.host}`,
    });
    done(refused ? new ApiHttpError(403, 'cross_origin', 'Cross-origin request refused: send it from this site, or authenticate with a bearer token') : undefined);
  });
}
