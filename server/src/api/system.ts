import type { SystemInfo } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import { currentUser } from '../http/auth.js';
import type { AppDeps } from '../http/deps.js';

/** `GET /api/system`: OS, CPU, machine memory and the engines found with their versions (paths for admins). */
export const systemRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  app.get('/api/system', { preHandler: app.requireUser }, async (request): Promise<SystemInfo> => services.system.info({ withPaths: currentUser(request).isAdmin }));
};
