import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Services } from '../services/index.js';
import { authenticateUser, currentUser } from './auth.js';
import { ApiHttpError } from './errors.js';
import { openSse, type SseStream } from './sse.js';

export const STREAM_RECHECK_MS = 15_000;
export const MAX_STREAMS_PER_USER = 8;

export interface UserStreamOptions {
  recheckMs?: number;
  maxPerUser?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Opens an SSE stream for the logged-in user (route behind requireUser): at most
     * MAX_STREAMS_PER_USER at once (else 429), closed as soon as the request's session no
     * longer authenticates (a role change ends sessions too, so a demoted admin is caught).
     */
    openUserStream(request: FastifyRequest, reply: FastifyReply): SseStream;
  }
}

/**
 * A stream outlives the request that authenticated it, so the viewer is re-checked every
 * `recheckMs` and at once when their sessions are revoked (disabled, demoted, reset, logged
 * out, deleted); the stream ends when the check fails.
 */
export const userStreamsPlugin = fp(
  async (app: FastifyInstance, opts: { services: Pick<Services, 'users' | 'events'> } & UserStreamOptions) => {
    const { services } = opts;
    const recheckMs = opts.recheckMs ?? STREAM_RECHECK_MS;
    const maxPerUser = opts.maxPerUser ?? MAX_STREAMS_PER_USER;
    const openCount = new Map<string, number>();

    app.decorate('openUserStream', (request: FastifyRequest, reply: FastifyReply): SseStream => {
      const viewer = currentUser(request);
      const count = openCount.get(viewer.id) ?? 0;
      if (count >= maxPerUser) throw new ApiHttpError(429, 'rate_limited', `At most ${maxPerUser} event streams per user at once; close another tab`);
      openCount.set(viewer.id, count + 1);
      const stream = openSse(request, reply);

      let checking = false;
      const recheck = async () => {
        if (checking || stream.closed) return;
        checking = true;
        try {
          await authenticateUser(services, request);
        } catch {
          stream.close(); // not logged in any more (or the check itself failed): end the stream
        } finally {
          checking = false;
        }
      };
      const timer = setInterval(() => void recheck(), recheckMs);
      timer.unref();
      const unsubscribe = services.events.subscribe(({ event }) => {
        if (event.type === 'session.revoked' && event.user_id === viewer.id) void recheck();
      });
      stream.onClose(() => {
        clearInterval(timer);
        unsubscribe();
        const left = (openCount.get(viewer.id) ?? 1) - 1;
        if (left <= 0) openCount.delete(viewer.id);
        else openCount.set(viewer.id, left);
      });
      return stream;
    });
  },
  { name: 'mlxm-user-streams', dependencies: ['mlxm-auth'] },
);
