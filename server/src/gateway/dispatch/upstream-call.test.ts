import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Timeouts } from '../policy/timeouts.js';
import { ClientPresence } from './client-presence.js';
import { AttemptError, callUpstream, ClientGone, contentTypeOf } from './upstream-call.js';

let server: Server | undefined;
let pool: Pool | undefined;

afterEach(async () => {
  await pool?.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  pool = undefined;
});

/** An upstream answering every request with `handle`; returns a pool to it. */
async function upstream(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Pool> {
  server = createServer(handle);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return pool;
}

const LIMITS: Timeouts = { connectMs: 1000, firstTokenMs: 5000, idleMs: 5000, totalMs: 10_000 };

function call(p: Pool, timeouts: Partial<Timeouts> = {}, client = new ClientPresence()) {
  return callUpstream(p, { path: '/', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}'), timeouts: { ...LIMITS, ...timeouts }, client });
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.fail('resolved'),
    (err: unknown) => err,
  );
}

describe('callUpstream', () => {
  it('sends a sized body: Content-Length from the body, never chunked (mlx_lm.server answers 411 otherwise)', async () => {
    let seen: IncomingMessage['headers'] = {};
    const p = await upstream((req, res) => {
      seen = req.headers;
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    const body = Buffer.from('{"model":"m","prompt":"héllo"}');
    const up = await callUpstream(p, { path: '/', headers: { 'content-type': 'application/json' }, body, timeouts: LIMITS, client: new ClientPresence() });
    await up.text();
    expect(seen['content-length']).toBe(String(body.length));
    expect(seen['transfer-encoding']).toBeUndefined();
  });

  it('hands over a body that came with the head, and reads a whole answer as text', async () => {
    const p = await upstream((_req, res) => res.end('{"ok":true}'));
    const up = await call(p);
    expect(up.status).toBe(200);
    expect(await up.text()).toBe('{"ok":true}');
    expect(up.firstByteMs()).toBeGreaterThanOrEqual(0);
    const chunks: string[] = [];
    await (await call(p)).relay((c) => chunks.push(c.toString()));
    expect(chunks.join('')).toBe('{"ok":true}');
  });

  it('stops at the idle limit after the first chunk although the first-token limit is far away', async () => {
    const p = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
    });
    const started = performance.now();
    const up = await call(p, { firstTokenMs: 5000, idleMs: 150 });
    const err = await rejection(up.relay(() => undefined));
    expect(err).toBeInstanceOf(AttemptError);
    expect((err as AttemptError).outcome).toEqual({ kind: 'timeout', phase: 'idle' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('keeps a stream going while chunks come within the idle limit, until the total limit', async () => {
    const p = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(() => res.write('data: x\n\n'), 40);
      res.on('close', () => clearInterval(t));
    });
    const up = await call(p, { idleMs: 200, totalMs: 600 });
    let chunks = 0;
    const err = await rejection(up.relay(() => chunks++));
    expect((err as AttemptError).outcome).toEqual({ kind: 'timeout', phase: 'total' });
    expect(chunks).toBeGreaterThan(5);
  });

  it('stops at the first-token limit when the head came but no body', async () => {
    const p = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
    });
    const up = await call(p, { firstTokenMs: 150, idleMs: 50 });
    expect((await rejection(up.text()) as AttemptError).outcome).toEqual({ kind: 'timeout', phase: 'first-token' });
  });

  it('a client that leaves cancels the call (before the head and while the body flows)', async () => {
    let closed = 0;
    // Never answers: the call waits for the head until the client leaves.
    const p = await upstream((_req, res) => res.on('close', () => closed++));
    const waiting = new ClientPresence();
    const pending = call(p, {}, waiting);
    setTimeout(() => waiting.leave(), 50);
    expect(await rejection(pending)).toBeInstanceOf(ClientGone);
    await expect.poll(() => closed).toBe(1);
    expect(await rejection(call(p, {}, waiting))).toBeInstanceOf(ClientGone);
  });

  it('an error thrown by the reader stops the call and comes out as it is', async () => {
    const p = await upstream((_req, res) => {
      res.writeHead(200);
      res.write('a');
      setTimeout(() => res.end('b'), 50);
    });
    const boom = new Error('reader failed');
    const up = await call(p);
    expect(
      await rejection(
        up.relay(() => {
          throw boom;
        }),
      ),
    ).toBe(boom);
  });

  it('a refused connection is a connect error', async () => {
    await upstream((_req, res) => res.end());
    const { port } = server!.address() as AddressInfo;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await pool!.destroy();
    pool = new Pool(`http://127.0.0.1:${port}`);
    const err = await rejection(call(pool));
    expect((err as AttemptError).outcome).toEqual({ kind: 'connect-error' });
  });
});

describe('contentTypeOf', () => {
  const raw = (...pairs: string[]) => pairs.map((p) => Buffer.from(p, 'latin1'));

  it('finds the Content-Type value whatever the case of its name', () => {
    expect(contentTypeOf(raw('Date', 'x', 'content-type', 'text/event-stream'))).toBe('text/event-stream');
    expect(contentTypeOf(raw('CONTENT-TYPE', 'application/json; charset=utf-8'))).toBe('application/json; charset=utf-8');
  });

  it('is empty without one (and never reads past the list)', () => {
    expect(contentTypeOf(raw('content-length', '12', 'x-content-type', 'no'))).toBe('');
    expect(contentTypeOf(raw('content-type'))).toBe('');
    expect(contentTypeOf([])).toBe('');
  });
});
