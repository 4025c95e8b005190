import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientStream } from './client-stream.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves one request with `handle`, and returns what the client received (head and body). */
async function exchange(handle: (res: ServerResponse) => void): Promise<{ status: number; type: string | undefined; body: string }> {
  server = createServer((_req, res) => handle(res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ClientStream', () => {
  it('sends nothing before the delay, then the head and pings, and content after them', async () => {
    let commits = 0;
    const got = await exchange((res) => {
      const s = new ClientStream(res, { delayMs: 30, intervalMs: 20 }, () => commits++, ': ping\n\n');
      s.armHeartbeat();
      expect(s.committed).toBe(false);
      setTimeout(() => {
        expect(s.committed).toBe(true);
        expect(s.sawContent).toBe(false);
        s.write('data: {"x":1}\n\n');
        expect(s.sawContent).toBe(true);
        s.end('data: [DONE]\n\n');
      }, 100);
    });
    expect(commits).toBe(1);
    expect(got.status).toBe(200);
    expect(got.type).toContain('text/event-stream');
    expect(got.body.startsWith(': ping\n\n: ping\n\n')).toBe(true);
    expect(got.body.endsWith('data: {"x":1}\n\ndata: [DONE]\n\n')).toBe(true);
  });

  it('never pings once content flows, and an empty write is not content', async () => {
    const got = await exchange((res) => {
      const s = new ClientStream(res, { delayMs: 30, intervalMs: 10 }, () => undefined, 'event: ping\ndata: {"type":"ping"}\n\n');
      s.armHeartbeat();
      s.write('');
      expect(s.sawContent).toBe(false);
      s.write('event: message_start\n\n');
      setTimeout(() => s.end(), 80);
    });
    expect(got.body).toBe('event: message_start\n\n');
  });
});
