import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { VerifiedKey } from '../services/api-keys.js';
import { AppError } from '../services/errors.js';
import { SESSION_COOKIE } from '../services/sessions.js';
import type { Services } from '../services/index.js';
import { ApiHttpError } from './errors.js';

/** The logged-in user of a management request. */
export interface AuthUser {
  id: string;
  email: string;
  isAdmin: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: an approved user via session cookie or `Authorization: Bearer <jwt>`. */
    requireUser: preHandlerAsyncHookHandler;
    /** preHandler: like requireUser, and the user is an admin. */
    requireAdmin: preHandlerAsyncHookHandler;
    /** preHandler for `/v1/*`: a valid gateway key via `Authorization: Bearer` or `x-api-key`. */
    requireApiKey: preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    user?: AuthUser;
    apiKey?: VerifiedKey;
  }
}

/** Pure: the bearer token of an Authorization header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The session token of a request: Bearer header first (API clients), then the cookie (browser). */
export function sessionToken(request: FastifyRequest): string | undefined {
  return bearerToken(request.headers.authorization) ?? request.cookies?.[SESSION_COOKIE];
}

/** The authenticated user or a 401 (every failure is 401 so clients send the user to log in). */
export async function authenticateUser(services: Pick<Services, 'users'>, request: FastifyRequest): Promise<AuthUser> {
  const token = sessionToken(request);
  if (!token) throw new ApiHttpError(401, 'unauthenticated', 'Not logged in');
  try {
    const row = await services.users.authenticate(token);
    return { id: row.id, email: row.email, isAdmin: row.is_admin === 1 };
  } catch (err) {
    if (err instanceof AppError) throw new ApiHttpError(401, err.code, err.message);
    throw err;
  }
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { services: Pick<Services, 'users' | 'apiKeys'> }) => {
    const { services } = opts;
    app.decorateRequest('user', undefined);
    app.decorateRequest('apiKey', undefined);

    app.decorate('requireUser', async (request: FastifyRequest, _reply: FastifyReply) => {
      request.user = await authenticateUser(services, request);
    });

    app.decorate('requireAdmin', async (request: FastifyRequest, _reply: FastifyReply) => {
      request.user = await authenticateUser(services, request);
      if (!request.user.isAdmin) throw new ApiHttpError(403, 'forbidden', 'Administrator access required');
    });

    app.decorate('requireApiKey', async (request: FastifyRequest, _reply: FastifyReply) => {
      const header = request.headers['x-api-key'];
      const key = bearerToken(request.headers.authorization) ?? (typeof header === 'string' ? header.trim() : undefined);
      if (!key) throw new ApiHttpError(401, 'unauthenticated', 'Missing API key: send Authorization: Bearer <key> or x-api-key');
      const verified = await services.apiKeys.verify(key);
      if (!verified) throw new ApiHttpError(401, 'unauthenticated', 'Invalid API key');
      request.apiKey = verified;
    });
  },
  { name: 'mlxm-auth', dependencies: ['@fastify/cookie'] },
);

/** The user set by requireUser/requireAdmin; a route without that preHandler is a programming error. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw new Error('currentUser() used on a route without requireUser');
  return request.user;
}
