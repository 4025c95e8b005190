import type { FastifyPluginAsync } from 'fastify';
import { authenticateCaller, GatewayAuthError } from '../auth.js';
import { errorBody } from '../dispatch/envelope.js';
import type { GatewayPorts } from '../ports.js';

/** The `created` of every listed model: names come from config, not from a file with a date. */
const CREATED = 0;

/**
 * `GET /v1/models`: every name a client may put in `model` — profile names, repo ids a profile
 * serves, exact rule names, provider models a rule routes to. OpenAI's list shape, or Anthropic's
 * when the client says it speaks Anthropic (`anthropic-version`, which its SDK always sends).
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
    if (request.headers['anthropic-version'] !== undefined) {
      const data = names.map((id) => ({ type: 'model' as const, id, display_name: id, created_at: new Date(CREATED * 1000).toISOString() }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    }
    return { object: 'list' as const, data: names.map((id) => ({ id, object: 'model' as const, created: CREATED, owned_by: 'mlx-manager' })) };
  });
};
