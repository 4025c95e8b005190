import { AuditQuery, AuditStatsQuery, type AuditPage, type AuditStats } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseQuery } from '../http/validate.js';

/** The gateway's audit log: admins see every record (and may filter by user), others their own. */
export const auditRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  app.get('/api/audit', { preHandler: app.requireUser }, async (request): Promise<AuditPage> => {
    const viewer = currentUser(request);
    return services.audit.query(parseQuery(AuditQuery, request), { id: viewer.id, isAdmin: viewer.isAdmin });
  });

  /** Charts and totals (requests by status, latency percentiles, tokens, cost per model) over a range. */
  app.get('/api/audit/stats', { preHandler: app.requireUser }, async (request): Promise<AuditStats> => {
    const viewer = currentUser(request);
    return services.audit.aggregate(parseQuery(AuditStatsQuery, request), { id: viewer.id, isAdmin: viewer.isAdmin });
  });
};
