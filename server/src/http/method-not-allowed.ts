import type { FastifyInstance } from 'fastify';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** A path no route names: whatever matches it is a catch-all (the SPA's static files). */
const PROBE_PATH = '/\u0001no-such-route';

/**
 * The methods some route answers on this concrete path (empty when the path is unknown), so a
 * request with another method is 405 with `Allow`, not 404. Catch-all routes do not count.
 */
export function allowedMethods(app: FastifyInstance, path: string): string[] {
  return METHODS.filter((method) => {
    const route = app.findRoute({ method, url: path });
    if (!route) return false;
    const catchAll = app.findRoute({ method, url: PROBE_PATH });
    return !catchAll || catchAll.handler !== route.handler;
  });
}
