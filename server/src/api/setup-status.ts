import type { SetupStatus } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';

/**
 * `GET /api/auth/setup-status`, public: the sign-in page reads it to tell a fresh install ("no
 * account yet; the first becomes the administrator") from one that has accounts, and whether
 * registering is possible. It reveals no more than the register form's own answers would.
 */
export const setupStatusRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  app.get('/api/auth/setup-status', async (): Promise<SetupStatus> => {
    // The users service has no count of its own; the table is small (people, not requests).
    const hasUsers = (await services.users.list()).length > 0;
    // Registration closed by an admin still lets the very first account in (see UsersService.register).
    return { has_users: hasUsers, registration_open: !hasUsers || services.settings.get().registration_open };
  });
};
