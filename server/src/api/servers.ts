import { LogsQuery, StopServerQuery, type LogTail, type Server, type ServerList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseParams, parseQuery } from '../http/validate.js';

const ProfileIdParams = z.object({ profile_id: z.string().min(1).max(200) });
const StartQuery = z.object({ wait: z.enum(['true', 'false']).optional() });

/**
 * Engines per profile (server/src/engines/DESIGN.md). Start/restart answer 202 once queued (states then arrive as
 * `server.changed` events) unless `?wait=true`, which answers when the model answers or why not.
 */
export const serversRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };
  const idOf = (request: Parameters<typeof parseParams>[1]) => parseParams(ProfileIdParams, request).profile_id;

  // Every entry goes through the viewer: a failure's last engine lines only for admins and the
  // profile's creator (mayReadEngineOutput), as is the log itself.
  app.get('/api/servers', user, async (request): Promise<ServerList> => ({ servers: await services.servers.list(currentUser(request)) }));

  app.get('/api/servers/:profile_id', user, async (request): Promise<Server> => services.servers.get(idOf(request), currentUser(request)));

  app.post('/api/servers/:profile_id/start', user, async (request, reply): Promise<Server> => {
    const id = idOf(request);
    const wait = parseQuery(StartQuery, request).wait === 'true';
    const server = await services.servers.start(id, { wait, viewer: currentUser(request) });
    reply.code(wait ? 200 : 202);
    return server;
  });

  app.post('/api/servers/:profile_id/stop', user, async (request): Promise<Server> => {
    const id = idOf(request);
    const force = parseQuery(StopServerQuery, request).force === 'true';
    return services.servers.stop(id, { force, viewer: currentUser(request) });
  });

  app.post('/api/servers/:profile_id/restart', user, async (request, reply): Promise<Server> => {
    const id = idOf(request);
    const wait = parseQuery(StartQuery, request).wait === 'true';
    const server = await services.servers.restart(id, { wait, viewer: currentUser(request) });
    reply.code(wait ? 200 : 202);
    return server;
  });

  /** Tail as JSON; with `follow=true` an SSE stream: the tail first, then live lines (`event: lines`). */
  app.get('/api/servers/:profile_id/logs', user, async (request, reply): Promise<LogTail | undefined> => {
    const id = idOf(request);
    const query = parseQuery(LogsQuery, request);
    const lines = await services.servers.logs(id, query.lines, currentUser(request));
    if (query.follow !== 'true' && query.follow !== '1') return { profile_id: id, lines };
    const stream = app.openUserStream(request, reply);
    stream.send('lines', { lines });
    const off = await services.servers.followLogs(id, currentUser(request), (more) => stream.send('lines', { lines: more }));
    stream.onClose(off);
    return undefined;
  });
};
