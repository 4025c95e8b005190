import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApi } from './api.js';
import { createApiClient } from './client.js';
import { ApiClientError } from './errors.js';

// A real HTTP server on loopback answers what each test scripts, so the client's fetch,
// headers, body and error decoding run for real.
type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
let server: Server;
let baseUrl = '';
let handler: Handler;
let seen: Array<{ method: string; url: string; contentType: string | undefined; body: string }> = [];

function json(response: ServerResponse, status: number, payload: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], body });
      handler(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

const user = {
  id: 'u1',
  email: 'ada@example.com',
  is_admin: true,
  status: 'approved',
  created_at: '2026-01-01T00:00:00Z',
  approved_at: '2026-01-01T00:00:00Z',
};

describe('request', () => {
  it('sends a JSON body and query, and returns the answer validated by the schema', async () => {
    handler = (_request, body, response) => json(response, 200, { echoed: JSON.parse(body) as unknown, extra: 1 });
    const client = createApiClient({ baseUrl });
    const result = await client.request('POST', '/api/things', {
      body: { name: 'x' },
      query: { q: 'a b', limit: 5, cursor: undefined },
      response: z.object({ echoed: z.object({ name: z.string() }) }),
    });
    expect(result).toEqual({ echoed: { name: 'x' } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/things?q=a+b&limit=5', contentType: 'application/json' });
  });

  it('resolves to undefined on 204 when no schema is asked for', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(204);
      response.end();
    };
    await expect(createApiClient({ baseUrl }).request('DELETE', '/api/keys/k1')).resolves.toBeUndefined();
    expect(seen[0]?.contentType).toBeUndefined();
  });

  it('turns the error envelope into a typed ApiClientError with field messages', async () => {
    handler = (_request, _body, response) =>
      json(response, 400, {
        error: {
          code: 'validation_failed',
          message: 'password: must be at least 8 characters',
          details: [{ field: 'password', message: 'must be at least 8 characters' }],
        },
      });
    const error = await createApiClient({ baseUrl })
      .request('POST', '/api/auth/register', { body: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiClientError);
    const apiError = error as ApiClientError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.message).toBe('password: must be at least 8 characters');
    expect(apiError.field('password')).toBe('must be at least 8 characters');
    expect(apiError.field('email')).toBeUndefined();
  });

  it('also reads field issues nested under details.fields', async () => {
    handler = (_request, _body, response) =>
      json(response, 400, {
        error: { code: 'validation_failed', message: 'bad', details: { fields: [{ field: 'name', message: 'required' }] } },
      });
    const error = (await createApiClient({ baseUrl })
      .request('POST', '/api/keys', { body: {} })
      .catch((caught: unknown) => caught)) as ApiClientError;
    expect(error.fields).toEqual({ name: 'required' });
  });

  it('falls back to the status when the body is not the envelope', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
      response.end('<html>proxy error</html>');
    };
    const error = (await createApiClient({ baseUrl })
      .request('GET', '/api/users')
      .catch((caught: unknown) => caught)) as ApiClientError;
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_error');
    expect(error.message).toBe('Bad Gateway');
  });

  it('rejects an answer that does not match the schema', async () => {
    handler = (_request, _body, response) => json(response, 200, { users: [{ id: 1 }] });
    const error = (await createApi({ baseUrl })
      .users.list()
      .catch((caught: unknown) => caught)) as ApiClientError;
    expect(error.code).toBe('invalid_response');
  });

  it('reports an unreachable server as a network error (status 0)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = (await createApiClient({ baseUrl: deadUrl })
      .request('GET', '/api/auth/me')
      .catch((caught: unknown) => caught)) as ApiClientError;
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
  });
});

describe('401 handling', () => {
  const unauthenticated = { error: { code: 'unauthenticated', message: 'Sign in first.' } };

  it('calls onUnauthenticated for a protected call, then still throws', async () => {
    handler = (_request, _body, response) => json(response, 401, unauthenticated);
    const redirects: ApiClientError[] = [];
    const api = createApi({ baseUrl, onUnauthenticated: (error) => redirects.push(error) });
    await expect(api.keys.list()).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(redirects).toHaveLength(1);
    expect(redirects[0]?.message).toBe('Sign in first.');
  });

  it("never redirects on the login form's own 401: the error reaches the form", async () => {
    handler = (_request, _body, response) =>
      json(response, 401, { error: { code: 'invalid_credentials', message: 'Invalid email or password.' } });
    const redirects: ApiClientError[] = [];
    const api = createApi({ baseUrl, onUnauthenticated: (error) => redirects.push(error) });
    await expect(api.auth.login({ email: 'ada@example.com', password: 'wrong-password' })).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    });
    expect(redirects).toHaveLength(0);
  });

  it('lets the session probe (me) decide itself what a 401 means', async () => {
    handler = (_request, _body, response) => json(response, 401, unauthenticated);
    const redirects: ApiClientError[] = [];
    const api = createApi({ baseUrl, onUnauthenticated: (error) => redirects.push(error) });
    await expect(api.auth.me()).rejects.toBeInstanceOf(ApiClientError);
    expect(redirects).toHaveLength(0);
  });

  it('does not treat a 403 as a lost session', async () => {
    handler = (_request, _body, response) => json(response, 403, { error: { code: 'forbidden', message: 'Admins only.' } });
    const redirects: ApiClientError[] = [];
    const api = createApi({ baseUrl, onUnauthenticated: (error) => redirects.push(error) });
    await expect(api.users.list()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    expect(redirects).toHaveLength(0);
  });
});

describe('endpoint modules', () => {
  it('unwraps me and encodes ids in paths', async () => {
    handler = (request, _body, response) => {
      if (request.url === '/api/auth/me') json(response, 200, { user });
      else {
        response.writeHead(204);
        response.end();
      }
    };
    const api = createApi({ baseUrl });
    await expect(api.auth.me()).resolves.toEqual(user);
    await api.users.remove('a/b?c');
    expect(seen[1]).toMatchObject({ method: 'DELETE', url: '/api/users/a%2Fb%3Fc' });
    await api.users.resetPassword('u2', 'new-password');
    expect(seen[2]).toMatchObject({ method: 'POST', url: '/api/users/u2/reset-password', body: '{"password":"new-password"}' });
  });
});
