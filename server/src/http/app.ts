import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authRoutes } from '../api/auth.js';
import { downloadsRoutes } from '../api/downloads.js';
import { eventsRoutes } from '../api/events.js';
import { healthRoutes } from '../api/health.js';
import { hubRoutes } from '../api/hub.js';
import { keysRoutes } from '../api/keys.js';
import { localModelsRoutes } from '../api/models.js';
import { usersRoutes } from '../api/users.js';
import { profilesRoutes } from '../api/profiles.js';
import { serversRoutes } from '../api/servers.js';
import { settingsRoutes } from '../api/settings.js';
import { setupStatusRoutes } from '../api/setup-status.js';
import { systemRoutes } from '../api/system.js';
import { gatewayRoutes } from '../gateway/plugin.js';
import { authPlugin } from './auth.js';
import { REDACTED_PATHS, type AppDeps } from './deps.js';
import { ApiHttpError, installErrorHandler, normaliseError, sendError } from './errors.js';
import { registerStaticWeb } from './static-web.js';

export type { AppDeps } from './deps.js';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const options: FastifyServerOptions = {
    // Logs go to stderr: stdout carries only what the CLI prints (the harness reads the ready line).
    logger: deps.logger === false ? false : { level: deps.config.log_level, stream: deps.logStream ?? process.stderr, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    bodyLimit: deps.config.body_limit_bytes,
    // Generated request ids correlate log lines; never trust a client-sent one.
    requestIdHeader: false,
    // SSE streams never go idle: without this, close() would wait for every subscriber to leave.
    forceCloseConnections: true,
  };
  const app = Fastify(options);
  installErrorHandler(app);
  // Every API speaks JSON; a text body would otherwise reach handlers as a string.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyCookie);
  await app.register(authPlugin, { services: deps.services });

  // Route modules: one line per resource. Other areas add theirs here.
  await app.register(healthRoutes, deps);
  await app.register(authRoutes, deps);
  await app.register(usersRoutes, deps);
  await app.register(keysRoutes, deps);
  await app.register(eventsRoutes, deps);
  await app.register(gatewayRoutes(), deps);
  await app.register(hubRoutes, deps);
  await app.register(localModelsRoutes, deps);
  await app.register(downloadsRoutes, deps);
  await app.register(profilesRoutes, deps);
  await app.register(serversRoutes, deps);
  await app.register(systemRoutes, deps);
  await app.register(settingsRoutes, deps);
  await app.register(setupStatusRoutes, deps);

  const spaFallback = await registerStaticWeb(app, deps.webRoot ?? undefined);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const isApi = path === '/api' || path.startsWith('/api/') || path === '/v1' || path.startsWith('/v1/');
    if (!isApi && spaFallback && (request.method === 'GET' || request.method === 'HEAD')) return spaFallback(request, reply);
    return sendError(request, reply, normaliseError(new ApiHttpError(404, 'not_found', `No route for ${request.method} ${path}`)));
  });
  return app;
}
