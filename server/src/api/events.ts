import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { canSee } from '../services/event-bus.js';

/**
 * `GET /api/events`: every bus event the logged-in user may see, as SSE. Works with the
 * session cookie, so the browser's EventSource authenticates (L-11 in
 * docs/lessons-from-the-original.md).
 */
export const eventsRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  app.get('/api/events', { preHandler: app.requireUser }, async (request, reply) => {
    const viewer = currentUser(request);
    const stream = app.openUserStream(request, reply);
    const unsubscribe = services.events.subscribe(({ event, audience }) => {
      if (canSee(audience, viewer)) stream.send(event.type, event);
    });
    stream.onClose(unsubscribe);
    // Admins start with the current pending count, so a badge needs no separate request.
    if (viewer.isAdmin) stream.send('users.changed', { type: 'users.changed', pending_count: await services.users.pendingCount() });
  });
};
