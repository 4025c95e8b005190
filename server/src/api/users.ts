import { ResetPasswordRequest, UpdateUserRequest, type PendingCount, type User, type UserList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseBody, parseParams } from '../http/validate.js';
import { IdParams } from './params.js';

/** Admin-only user management (AUTH-03..05). */
export const usersRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const admin = { preHandler: app.requireAdmin };

  app.get('/api/users', admin, async (): Promise<UserList> => ({ users: await services.users.list() }));

  app.get('/api/users/pending-count', admin, async (): Promise<PendingCount> => ({ count: await services.users.pendingCount() }));

  app.patch('/api/users/:id', admin, async (request): Promise<{ user: User }> => {
    const { id } = parseParams(IdParams, request);
    const patch = parseBody(UpdateUserRequest, request);
    return { user: await services.users.update(currentUser(request).id, id, patch) };
  });

  app.delete('/api/users/:id', admin, async (request, reply) => {
    const { id } = parseParams(IdParams, request);
    await services.users.delete(id);
    return reply.code(204).send();
  });

  app.post('/api/users/:id/reset-password', admin, async (request, reply) => {
    const { id } = parseParams(IdParams, request);
    const { password } = parseBody(ResetPasswordRequest, request);
    await services.users.resetPassword(id, password);
    return reply.code(204).send();
  });
};
