import { LoginRequest, RegisterRequest, type LoginResponse, type MeResponse, type RegisterResponse } from '@mlx-manager/contract';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { authenticateUser, currentUser } from '../http/auth.js';
import { parseBody } from '../http/validate.js';
import { SESSION_COOKIE } from '../services/sessions.js';

export const authRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  app.post('/api/auth/register', async (request, reply): Promise<RegisterResponse> => {
    const input = parseBody(RegisterRequest, request);
    const user = await services.users.register(input, request.ip);
    reply.code(201);
    return { user };
  });

  app.post('/api/auth/login', async (request, reply): Promise<LoginResponse> => {
    const input = parseBody(LoginRequest, request);
    const { user, token } = await services.users.login(input, request.ip);
    // httpOnly so scripts cannot read it; Lax so it rides top-level navigations and EventSource.
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: services.sessions.ttlSeconds,
      secure: request.protocol === 'https',
    });
    return { access_token: token, token_type: 'bearer', user };
  });

  /*
   * Logout ends every session of the user, bearer tokens included: revocation is per user (the
   * session epoch), not per token, so "this token only" is not expressible. logout-all says so
   * explicitly for API clients. Without a valid session, logout still clears the cookie.
   */
  const logout = async (request: FastifyRequest, reply: FastifyReply) => {
    const user = await authenticateUser(services, request).catch(() => undefined);
    if (user) await services.users.logoutEverywhere(user.id);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  };
  app.post('/api/auth/logout', logout);
  app.post('/api/auth/logout-all', logout);

  app.get('/api/auth/me', { preHandler: app.requireUser }, async (request): Promise<MeResponse> => {
    const user = await services.users.get(currentUser(request).id);
    return { user };
  });
};
