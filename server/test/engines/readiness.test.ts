// The readiness wait against a real loopback server that says 503 a number of times first (a
// model loading), then 200: it retries until then, and its waits leave nothing on the signal.
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitReady } from '../../src/engines/readiness.js';

let server: Server;
let baseUrl: string;
let loadingAnswersLeft = 0;
let probes = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    probes += 1;
    if (loadingAnswersLeft > 0) {
      loadingAnswersLeft -= 1;
      res.writeHead(503).end('loading');
    } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('waitReady', () => {
  it('retries through 6 "loading" answers and adds no lasting listener to the caller signal', async () => {
    loadingAnswersLeft = 6;
    probes = 0;
    const controller = new AbortController();
    await waitReady(baseUrl, [{ method: 'GET', path: '/health', expectJson: { status: 'ok' } }], controller.signal);
    expect(probes).toBe(7);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once when the signal aborts during a retry wait', async () => {
    loadingAnswersLeft = 1_000;
    const controller = new AbortController();
    const waiting = waitReady(baseUrl, [{ method: 'GET', path: '/health' }], controller.signal);
    setTimeout(() => controller.abort(new Error('stopped')), 120);
    await expect(waiting).rejects.toThrow('stopped');
  });
});
