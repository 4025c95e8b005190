import type { Server } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyHttpOptions, type FastifyInstance } from 'fastify';
import { auditRoutes } from '../api/audit.js';
import { authRoutes } from '../api/auth.js';
import { downloadsRoutes } from '../api/downloads.js';
import { eventsRoutes } from '../api/events.js';
import { healthRoutes } from '../api/health.js';
import { hubRoutes } from '../api/hub.js';
import { keysRoutes } from '../api/keys.js';
import { localModelsRoutes } from '../api/models.js';
import { metricsRoutes } from '../api/metrics.js';
import { usersRoutes } from '../api/users.js';
import { profilesRoutes } from '../api/profiles.js';
import { providersRoutes } from '../api/providers.js';
import { routesRoutes } from '../api/routes.js';
import { serversRoutes } from '../api/servers.js';
import { settingsRoutes } from '../api/settings.js';
import { setupStatusRoutes } from '../api/setup-status.js';
import { systemRoutes } from '../api/system.js';
import { gatewayRoutes } from '../gateway/plugin.js';
import { mcpRoutes } from '../mcp/plugin.js';
import { chatsRoutes } from '../api/chats.js';
import { authPlugin } from './auth.js';
import { REDACTED_PATHS, type AppDeps } from './deps.js';
import { ApiHttpError, installErrorHandler, normaliseError, sendError } from './errors.js';
import { onClientError, onFrameworkError } from './client-errors.js';
import { allowedMethods } from './method-not-allowed.js';
import { installSameOriginCheck } from './same-origin.js';
import { serverWithFirstLook, type FirstLook } from './node-server.js';
import { installSecurityHeaders, securityHeaders } from './security-headers.js';
import { registerStaticWeb, spaScriptHashes } from './static-web.js';
import { userStreamsPlugin } from './user-streams.js';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // The gateway answers its hot path before Fastify routes (gateway/routes/direct-entry.ts).
  let firstLook: FirstLook | null = null;
  const options: FastifyHttpOptions<Server> = {
    serverFactory: serverWithFirstLook(() => firstLook),
    // Logs go to stderr: stdout carries only what the CLI prints (the harness reads the ready line).
    logger: deps.logger === false ? false : { level: deps.config.log_level, stream: deps.logStream ?? process.stderr, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    bodyLimit: deps.config.body_limit_bytes,
    // Generated request ids correlate log lines; never trust a client-sent one.
    requestIdHeader: false,
    // SSE streams never go idle: without this, close() would wait for every subscriber to leave.
    forceCloseConnections: true,
    // Client address and https from X-Forwarded-* only when the admin says a proxy is in front.
    trustProxy: deps.config.trust_proxy,
    // A request must arrive whole in time (one byte every 10 s kept a socket for minutes). No
    // idle-socket timeout: answers may rightly be slow (SSE, a model thinking before it streams).
    requestTimeout: deps.config.request_timeout_ms,
    http: { connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(deps.config.request_timeout_ms / 4))) },
    // Parser errors (431, 408, bad Content-Length) and undecodable URLs answer in our envelope.
    clientErrorHandler: onClientError,
    frameworkErrors: onFrameworkError,
  };
  const app = Fastify(options);
  app.server.headersTimeout = Math.min(app.server.headersTimeout, deps.config.request_timeout_ms);
  installErrorHandler(app);
  const headers = securityHeaders(deps.webRoot ? await spaScriptHashes(deps.webRoot) : []);
  installSecurityHeaders(app, headers);
  // Every API speaks JSON; a text body would otherwise reach handlers as a string.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyCookie);
  installSameOriginCheck(app);
  await app.register(authPlugin, { services: deps.services });
  await app.register(userStreamsPlugin, { services: deps.services });

  // Route modules: one line per resource. Other areas add theirs here.
  await app.register(healthRoutes, deps);
  await app.register(authRoutes, deps);
  await app.register(usersRoutes, deps);
  await app.register(keysRoutes, deps);
  await app.register(eventsRoutes, deps);
  await app.register(gatewayRoutes({ throughput: deps.services.throughput, securityHeaders: headers }), deps);
  firstLook = app.gatewayDirectEntry;
  await app.register(hubRoutes, deps);
  await app.register(localModelsRoutes, deps);
  await app.register(downloadsRoutes, deps);
  await app.register(profilesRoutes, deps);
  await app.register(serversRoutes, deps);
  await app.register(systemRoutes, deps);
  await app.register(settingsRoutes, deps);
  await app.register(providersRoutes, deps);
  await app.register(routesRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(metricsRoutes, deps);
  await app.register(setupStatusRoutes, deps);
  await app.register(mcpRoutes, deps);
  await app.register(chatsRoutes, deps);

  const spaFallback = await registerStaticWeb(app, deps.webRoot ?? undefined);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const isApi = path === '/api' || path.startsWith('/api/') || path === '/v1' || path.startsWith('/v1/');
    if (!isApi && spaFallback && (request.method === 'GET' || request.method === 'HEAD')) return spaFallback(request, reply);
    const allow = isApi ? allowedMethods(app, path) : [];
    if (allow.length > 0) {
      void reply.header('allow', allow.join(', '));
      return sendError(request, reply, normaliseError(new ApiHttpError(405, 'method_not_allowed', `${request.method} is not allowed on ${path}; use ${allow.join(', ')}`)));
    }
    return sendError(request, reply, normaliseError(new ApiHttpError(404, 'not_found', `No route for ${request.method} ${path}`)));
  });
  return app;
}
