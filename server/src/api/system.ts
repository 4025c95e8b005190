import type { SystemInfo } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';

/** `GET /api/system`: OS, CPU, machine memory and the engines found with their versions. */
export const systemRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  app.get('/api/system', { preHandler: app.requireUser }, async (): Promise<SystemInfo> => services.system.info());
};
