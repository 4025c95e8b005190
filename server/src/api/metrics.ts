import type { FastifyPluginAsync } from 'fastify';
import { GatewayAuthError, authenticateCaller } from '../gateway/auth.js';
import { createGatewayPorts } from '../gateway/wiring.js';
import type { AppDeps } from '../http/deps.js';
import { ApiHttpError } from '../http/errors.js';
import { openSseStreamCount } from '../http/sse.js';
import { createMetrics } from '../metrics/index.js';

/**
 * `GET /metrics` in Prometheus' text format. Who may scrape is who may call `/v1`: an API key
 * (Bearer or `x-api-key`), a session, or anyone on loopback when `v1_open_on_loopback` is on.
 */
export const metricsRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const metrics = createMetrics(services, openSseStreamCount);
  // Only the caller checks of these ports are used (the same ones `/v1` uses).
  const ports = createGatewayPorts(services);
  app.addHook('onClose', async () => {
    metrics.close();
    ports.close();
  });

  app.get('/metrics', async (request, reply) => {
    try {
      await authenticateCaller(ports, request);
    } catch (err) {
      if (err instanceof GatewayAuthError) throw new ApiHttpError(401, 'unauthenticated', err.message);
      throw err;
    }
    const { text, contentType } = await metrics.render();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(text);
  });
};
