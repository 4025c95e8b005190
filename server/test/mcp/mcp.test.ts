// The built-in tools at /mcp, driven by the real MCP client of @modelcontextprotocol/sdk over a
// loopback socket: listing, calling, refusals, and the API's authentication.
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, register, type TestApp } from '../helpers/app.js';

let t: TestApp;
let url: URL;
let token = '';
let cookie = '';
let apiKey = '';

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = new URL(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/mcp`);
  await register(t.app, 'admin@example.com');
  ({ token, cookie } = await login(t.app, 'admin@example.com'));
  const created = await t.app.inject({ method: 'POST', url: '/api/keys', headers: { authorization: `Bearer ${token}` }, payload: { name: 'mcp' } });
  apiKey = created.json<{ key: string }>().key;
});
afterAll(async () => {
  await t.dispose();
});

async function connect(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'mlx-manager-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

function text(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

describe('/mcp with the SDK client', () => {
  it('lists calculator and weather with their input schemas (API key)', async () => {
    const client = await connect({ authorization: `Bearer ${apiKey}` });
    try {
      expect(client.getServerVersion()?.name).toBe('mlx-manager-tools');
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['calculator', 'weather']);
      const calculator = tools.find((tool) => tool.name === 'calculator');
      expect(calculator?.inputSchema).toMatchObject({ type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] });
      const weather = tools.find((tool) => tool.name === 'weather');
      expect(weather?.inputSchema).toMatchObject({ properties: { location: { type: 'string' }, unit: { enum: ['celsius', 'fahrenheit'] } }, required: ['location'] });
    } finally {
      await client.close();
    }
  });

  it('calculates, and refuses code with a clear error instead of running it (session token)', async () => {
    const client = await connect({ authorization: `Bearer ${token}` });
    try {
      const ok = (await client.callTool({ name: 'calculator', arguments: { expression: '(2 + 3) * 4^2' } })) as CallToolResult;
      expect(ok.isError).toBeFalsy();
      expect(ok.structuredContent).toEqual({ expression: '(2 + 3) * 4^2', result: 80 });
      expect(JSON.parse(text(ok))).toEqual({ expression: '(2 + 3) * 4^2', result: 80 });

      const code = (await client.callTool({ name: 'calculator', arguments: { expression: 'process.exit(1)' } })) as CallToolResult;
      expect(code.isError).toBe(true);
      expect(text(code)).toMatch(/^Cannot calculate: Unexpected character "\."/);
      const name = (await client.callTool({ name: 'calculator', arguments: { expression: 'globalThis' } })) as CallToolResult;
      expect(text(name)).toMatch(/Unknown name "globalThis"/);
    } finally {
      await client.close();
    }
    // The server is still up and answering after the refusals.
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('answers the same weather twice and in the unit asked (session cookie)', async () => {
    const client = await connect({ cookie });
    try {
      const a = (await client.callTool({ name: 'weather', arguments: { location: 'Lisbon' } })) as CallToolResult;
      const b = (await client.callTool({ name: 'weather', arguments: { location: 'lisbon', unit: 'fahrenheit' } })) as CallToolResult;
      expect(a.structuredContent).toMatchObject({ location: 'Lisbon', unit: 'celsius' });
      expect(b.structuredContent).toMatchObject({ unit: 'fahrenheit', condition: (a.structuredContent as { condition: string }).condition });
      const again = (await client.callTool({ name: 'weather', arguments: { location: 'Lisbon' } })) as CallToolResult;
      expect(again.structuredContent).toEqual(a.structuredContent);
      const empty = (await client.callTool({ name: 'weather', arguments: { location: ' ' } })) as CallToolResult;
      expect(empty.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses callers without credentials or with wrong ones (401)', async () => {
    // The SDK's transport error carries the HTTP status as `code`.
    await expect(connect({})).rejects.toMatchObject({ code: 401, message: expect.stringMatching(/Not logged in/) as unknown });
    await expect(connect({ authorization: 'Bearer mlxm_not-a-key' })).rejects.toMatchObject({ code: 401, message: expect.stringMatching(/Invalid API key/) as unknown });
    await expect(connect({ authorization: 'Bearer not-a-session' })).rejects.toMatchObject({ code: 401 });
    const raw = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('refuses a cookie-authenticated POST from another origin, and GET (stateless) with 405', async () => {
    const cross = await fetch(url, { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(cross.status).toBe(403);
    const get = await fetch(url, { headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
