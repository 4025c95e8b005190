import { CreateRouteRequest, ExplainRequest, PatternCheckRequest, UpdateRouteRequest, type ExplainResult, type PatternCheckResult, type Route, type RouteList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { parseBody, parseParams } from '../http/validate.js';
import { patternProblem } from '../gateway/routing/index.js';
import { IdParams } from './params.js';

/**
 * Gateway routing rules. Every signed-in user may read them and explain a model name (they say
 * which names the gateway serves, no secrets); only admins change them.
 */
export const routesRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };
  const admin = { preHandler: app.requireAdmin };

  app.get('/api/routes', user, async (): Promise<RouteList> => ({ routes: await services.routes.list() }));

  app.post('/api/routes', admin, async (request, reply): Promise<Route> => {
    const route = await services.routes.create(parseBody(CreateRouteRequest, request));
    reply.code(201);
    return route;
  });

  // Registered before /:id so "explain" is never read as an id.
  app.post('/api/routes/explain', user, async (request): Promise<ExplainResult> => services.routes.explain(parseBody(ExplainRequest, request).model));

  // The same check a save runs (length, regex syntax and safety), without saving.
  app.post('/api/routes/check', user, async (request): Promise<PatternCheckResult> => {
    const { match, pattern } = parseBody(PatternCheckRequest, request);
    return { problem: patternProblem(match, pattern) };
  });

  app.get('/api/routes/:id', user, async (request): Promise<Route> => services.routes.get(parseParams(IdParams, request).id));

  app.patch('/api/routes/:id', admin, async (request): Promise<Route> => {
    const { id } = parseParams(IdParams, request);
    return services.routes.update(id, parseBody(UpdateRouteRequest, request));
  });

  app.delete('/api/routes/:id', admin, async (request, reply) => {
    await services.routes.remove(parseParams(IdParams, request).id);
    reply.code(204);
  });
};
