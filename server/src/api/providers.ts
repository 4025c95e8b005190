import { CreateProviderRequest, UpdateProviderRequest, type Provider, type ProviderList, type ProviderTestResult } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { parseBody, parseParams } from '../http/validate.js';
import { IdParams } from './params.js';

/**
 * Gateway providers, admin only (reads too: base URLs and model lists describe the deployment).
 * The API key is write-only: answers carry `api_key_hint`.
 */
export const providersRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const admin = { preHandler: app.requireAdmin };

  app.get('/api/providers', admin, async (): Promise<ProviderList> => ({ providers: await services.providers.list() }));

  app.post('/api/providers', admin, async (request, reply): Promise<Provider> => {
    const provider = await services.providers.create(parseBody(CreateProviderRequest, request));
    reply.code(201);
    return provider;
  });

  app.get('/api/providers/:id', admin, async (request): Promise<Provider> => services.providers.get(parseParams(IdParams, request).id));

  app.patch('/api/providers/:id', admin, async (request): Promise<Provider> => {
    const { id } = parseParams(IdParams, request);
    return services.providers.update(id, parseBody(UpdateProviderRequest, request));
  });

  app.delete('/api/providers/:id', admin, async (request, reply) => {
    await services.providers.remove(parseParams(IdParams, request).id);
    reply.code(204);
  });

  /** Always 200 for a known provider: the result says whether the provider answered, and why not. */
  app.post('/api/providers/:id/test', admin, async (request): Promise<ProviderTestResult> => services.providers.test(parseParams(IdParams, request).id));
};
