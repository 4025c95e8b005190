import { LoginRequest, RegisterRequest, type LoginResponse, type MeResponse, type RegisterResponse } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseBody } from '../http/validate.js';
import { SESSION_COOKIE } from '../services/sessions.js';

export const authRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  app.post('/api/auth/register', async (request, reply): Promise<RegisterResponse> => {
    const input = parseBody(RegisterRequest, request);
    const user = await services.users.register(input);
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

  app.post('/api/auth/logout', async (_request, reply) => {
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { preHandler: app.requireUser }, async (request): Promise<MeResponse> => {
    const user = await services.users.get(currentUser(request).id);
    return { user };
  });
};
