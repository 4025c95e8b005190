import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeBaseUrl, probeOnce, readyOrExit, waitReady } from './readiness.js';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function serve(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  return new Promise((resolve) => server?.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}`)));
}

describe('readiness probes', () => {
  it('treats 503 and a body without the expected field as not ready, then ready', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls++;
      if (calls === 1) return void res.writeHead(503).end('{"error":{"message":"Loading model"}}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: calls > 2 ? 'ok' : 'loading' }));
    });
    const probe = { method: 'GET' as const, path: '/health', expectJson: { status: 'ok' } };
    expect(await probeOnce(base, probe, 1000)).toBe(false);
    expect(await probeOnce(base, probe, 1000)).toBe(false);
    expect(await probeOnce(base, probe, 1000)).toBe(true);
  });

  it('a refused connection is "not yet", and an abort ends the wait', async () => {
    expect(await probeOnce('http://127.0.0.1:1', { method: 'GET', path: '/health' }, 500)).toBe(false);
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('gave up')), 200);
    await expect(waitReady('http://127.0.0.1:1', [{ method: 'GET', path: '/health' }], abort.signal)).rejects.toThrow('gave up');
  });

  it('retries through 6 "loading" answers and leaves no listener on the caller signal', async () => {
    let probes = 0;
    const base = await serve((_req, res) => {
      probes += 1;
      if (probes <= 6) return void res.writeHead(503).end('loading');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
    const controller = new AbortController();
    await waitReady(base, [{ method: 'GET', path: '/health', expectJson: { status: 'ok' } }], controller.signal);
    expect(probes).toBe(7);
    // One listener added per retry and never removed piled up on slow starts (Node warned past ten).
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a stop that came before the wait began ends it at once, not at the start timeout', async () => {
    const stopped = new AbortController();
    stopped.abort();
    const neverExits = new Promise<never>(() => undefined);
    const outcome = await readyOrExit('http://127.0.0.1:1', [{ method: 'GET', path: '/health' }], neverExits, 60_000, stopped.signal);
    expect(outcome).toEqual({ kind: 'aborted', why: 'cancelled' });
  });

  it('a stop ends a completion probe the engine has not answered yet', async () => {
    const base = await serve(() => undefined); // accepts the probe, never answers (a cold model)
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const neverExits = new Promise<never>(() => undefined);
    const outcome = await readyOrExit(base, [{ method: 'POST', path: '/v1/completions', body: { prompt: 'x' } }], neverExits, 60_000, stop.signal);
    expect(outcome).toEqual({ kind: 'aborted', why: 'cancelled' });
    server?.closeAllConnections();
  });

  it('probes wildcard binds over loopback', () => {
    expect(probeBaseUrl('0.0.0.0', 80)).toBe('http://127.0.0.1:80');
    expect(probeBaseUrl('::1', 80)).toBe('http://[::1]:80');
  });
});
