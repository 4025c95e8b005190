import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { formatSseFrame, openSse, type SseStream } from './sse.js';

describe('SSE helper', () => {
  it('formats frames, splitting multi-line data and stripping newlines from event names', () => {
    expect(formatSseFrame('x', { a: 1 })).toBe('event: x\ndata: {"a":1}\n\n');
    expect(formatSseFrame('bad\nname', 'l1\nl2')).toBe('event: badname\ndata: l1\ndata: l2\n\n');
  });

  it('sends heartbeats and runs close callbacks when the client goes away', async () => {
    const app = Fastify();
    let stream: SseStream | undefined;
    let closed = false;
    app.get('/s', async (request, reply) => {
      stream = openSse(request, reply, 30);
      stream.onClose(() => (closed = true));
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const abort = new AbortController();
      const res = await fetch(`${base}/s`, { signal: abort.signal });
      if (!res.body) throw new Error('no body');
      const reader = res.body.getReader();
      let text = '';
      const deadline = Date.now() + 3000;
      while (!text.includes(': heartbeat') && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).toContain(': connected');
      expect(text).toContain(': heartbeat');
      expect(stream?.send('e', { ok: true })).toBe(true);
      abort.abort();
      for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
      expect(closed).toBe(true);
      expect(stream?.closed).toBe(true);
      expect(stream?.send('e', {})).toBe(false);
    } finally {
      await app.close();
    }
  });
});
