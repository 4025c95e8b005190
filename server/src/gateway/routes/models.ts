import type { FastifyPluginAsync } from 'fastify';
import { authenticateCaller, GatewayAuthError } from '../auth.js';
import { errorBody } from '../dispatch/envelope.js';
import type { GatewayPorts } from '../ports.js';

/** The `created` of every listed model: names come from config, not from a file with a date. */
const CREATED = 0;

/**
 * `GET /v1/models` (OpenAI's list shape): every name a client may put in `model` — profile names,
 * repo ids a profile serves, exact rule names, provider models a rule routes to.
 */
export const modelsRoutes: FastifyPluginAsync<{ ports: GatewayPorts }> = async (app, { ports }) => {
  app.get('/v1/models', async (request, reply) => {
    try {
      await authenticateCaller(ports, request);
    } catch (err) {
      if (err instanceof GatewayAuthError) return reply.code(401).send(errorBody('openai', { status: 401, message: err.message, code: 'invalid_api_key', source: 'gateway' }));
      throw err;
    }
    const names = await ports.modelNames();
    return { object: 'list' as const, data: names.map((id) => ({ id, object: 'model' as const, created: CREATED, owned_by: 'mlx-manager' })) };
  });
};
