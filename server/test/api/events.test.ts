// GET /api/events over real HTTP on loopback: cookie auth (EventSource-style), audience filtering, cleanup.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminAndUser, bearer, createTestApp, login, register, type TestApp } from '../helpers/app.js';

interface Frame {
  event: string;
  data: unknown;
}

/** Reads SSE frames from a streaming response until `count` frames arrived or `ms` elapsed. */
async function readFrames(res: Response, count: number, ms: number): Promise<{ frames: Frame[]; comments: string[] }> {
  if (!res.body) throw new Error('SSE response has no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  const comments: string[] = [];
  let buffer = '';
  const deadline = Date.now() + ms;
  while (frames.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
    if (chunk === null || chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let idx: number;
    while ((idx = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      if (block.startsWith(':')) comments.push(block.slice(1).trim());
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) frames.push({ event, data: JSON.parse(data) });
    }
  }
  return { frames, comments };
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

    await register(t.app, 'newcomer@example.com');
    await t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(user.token), payload: { name: 'k' } });

    const adminGot = await readFrames(adminStream, 1, 5000);
    expect(adminGot.frames[0]).toEqual({ event: 'users.changed', data: { type: 'users.changed', pending_count: 1 } });
    expect(adminGot.comments).toContain('connected');
    const userGot = await readFrames(userStream, 1, 5000);
    // the user sees their own key change, never the admins-only user count
    expect(userGot.frames).toEqual([{ event: 'keys.changed', data: { type: 'keys.changed' } }]);
    expect(admin.id).not.toBe(user.id);

    expect(t.services.events.listenerCount).toBe(before + 2);
    adminAbort.abort();
    userAbort.abort();
    for (let i = 0; i < 50 && t.services.events.listenerCount > before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(t.services.events.listenerCount).toBe(before);
  });
});
