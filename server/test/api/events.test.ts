// GET /api/events over real HTTP on loopback: cookie auth (EventSource-style), audience filtering, cleanup.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminAndUser, bearer, createTestApp, login, register, type TestApp } from '../helpers/app.js';

interface Frame {
  event: string;
  data: unknown;
}

/** Reads SSE frames from a streaming response; `next` waits for `count` more frames or `ms`. */
function frameReader(res: Response): { next(count: number, ms: number): Promise<Frame[]>; comments: string[] } {
  if (!res.body) throw new Error('SSE response has no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const comments: string[] = [];
  let buffer = '';
  return {
    comments,
    async next(count, ms) {
      const frames: Frame[] = [];
      const deadline = Date.now() + ms;
      const parse = () => {
        let idx: number;
        while (frames.length < count && (idx = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          if (block.startsWith(':')) comments.push(block.slice(1).trim());
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) frames.push({ event, data: JSON.parse(data) });
        }
      };
      parse();
      while (frames.length < count && Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
        if (chunk === null || chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        parse();
      }
      return frames;
    },
  };
}

describe('GET /api/events (SSE)', () => {
  let t: TestApp;
  let base: string;
  beforeEach(async () => {
    t = await createTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('refuses anonymous subscribers with 401 in the envelope', async () => {
    const res = await fetch(`${base}/api/events`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('streams events to a cookie-authenticated admin, filters by audience, and unsubscribes on disconnect', async () => {
    const { admin, user } = await adminAndUser(t.app);
    const adminCookie = (await login(t.app, 'admin@example.com')).cookie;
    const before = t.services.events.listenerCount;

    const adminAbort = new AbortController();
    const userAbort = new AbortController();
    const adminStream = await fetch(`${base}/api/events`, { headers: { cookie: adminCookie }, signal: adminAbort.signal });
    const userStream = await fetch(`${base}/api/events`, { headers: bearer(user.token), signal: userAbort.signal });
    expect(adminStream.status).toBe(200);
    expect(adminStream.headers.get('content-type')).toContain('text/event-stream');

    const adminFrames = frameReader(adminStream);
    const userFrames = frameReader(userStream);
    // admins get the pending count as soon as they connect
    expect(await adminFrames.next(1, 5000)).toEqual([{ event: 'users.changed', data: { type: 'users.changed', pending_count: 0 } }]);
    expect(adminFrames.comments).toContain('connected');

    await register(t.app, 'newcomer@example.com');
    await t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(user.token), payload: { name: 'k' } });

    expect(await adminFrames.next(1, 5000)).toEqual([{ event: 'users.changed', data: { type: 'users.changed', pending_count: 1 } }]);
    // the user sees their own key change, never the admins-only user count
    expect(await userFrames.next(1, 5000)).toEqual([{ event: 'keys.changed', data: { type: 'keys.changed' } }]);
    expect(admin.id).not.toBe(user.id);

    // each stream listens twice: for its events and for its viewer's revocation
    expect(t.services.events.listenerCount).toBe(before + 4);
    adminAbort.abort();
    userAbort.abort();
    for (let i = 0; i < 50 && t.services.events.listenerCount > before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(t.services.events.listenerCount).toBe(before);
  });
});
