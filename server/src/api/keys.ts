import { CreateApiKeyRequest, type ApiKeyList, type CreatedApiKey } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseBody, parseParams } from '../http/validate.js';
import { IdParams } from './params.js';

/** A user's own gateway API keys. */
export const keysRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };

  app.get('/api/keys', user, async (request): Promise<ApiKeyList> => ({ keys: await services.apiKeys.list(currentUser(request).id) }));

  app.post('/api/keys', user, async (request, reply): Promise<CreatedApiKey> => {
    const { name } = parseBody(CreateApiKeyRequest, request);
    const created = await services.apiKeys.create(currentUser(request).id, name);
    reply.code(201);
    return created;
  });

  app.delete('/api/keys/:id', user, async (request, reply) => {
    const { id } = parseParams(IdParams, request);
    await services.apiKeys.revoke(currentUser(request).id, id);
    return reply.code(204).send();
  });
};
