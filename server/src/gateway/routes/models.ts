import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.js';

/** `GET /v1/models` (OpenAI list shape). Placeholder until routing knows the models. */
export const modelsRoutes: FastifyPluginAsync<AppDeps> = async (app) => {
  app.get('/v1/models', { preHandler: app.requireApiKey }, async () => ({ object: 'list' as const, data: [] as unknown[] }));
};
