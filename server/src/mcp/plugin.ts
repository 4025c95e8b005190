// `/mcp`: the built-in tools over MCP's streamable HTTP transport, for the chat page and any other
// MCP client. Stateless (no MCP session ids): each POST gets a fresh server and transport, and
// answers with plain JSON. Authenticated like the API: session cookie, session Bearer token, or a
// gateway API key (Bearer or x-api-key).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { authenticateUser, bearerToken } from '../http/auth.js';
import { ApiHttpError } from '../http/errors.js';
import { API_KEY_PREFIX } from '../services/api-keys.js';
import type { Services } from '../services/index.js';

/** The user calling `/mcp`, or a 401. */
async function mcpCaller(services: Pick<Services, 'users' | 'apiKeys'>, request: FastifyRequest): Promise<string> {
  const header = request.headers['x-api-key'];
  const key = bearerToken(request.headers.authorization) ?? (typeof header === 'string' ? header.trim() : undefined);
  if (key?.startsWith(API_KEY_PREFIX)) {
    const verified = await services.apiKeys.verify(key);
    if (!verified) throw new ApiHttpError(401, 'unauthenticated', 'Invalid API key');
    return verified.userId;
  }
  return (await authenticateUser(services, request)).id;
}

/**
 * The MCP SDK (with its own zod and JSON-schema stack, tens of MB) is loaded on the first call,
 * not at start: an idle server that nobody asks for tools never pays for it.
 */
async function loadMcp() {
  const [{ StreamableHTTPServerTransport }, { createToolsServer }] = await Promise.all([import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('./tools.js')]);
  return { StreamableHTTPServerTransport, createToolsServer };
}

export const mcpRoutes: FastifyPluginAsync<AppDeps> = async (app, { services, version }) => {
  const authenticate = async (request: FastifyRequest) => {
    await mcpCaller(services, request);
  };

  app.post('/mcp', { preHandler: authenticate }, async (request, reply) => {
    const { StreamableHTTPServerTransport, createToolsServer } = await loadMcp();
    const server = createToolsServer(version);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    // The transport writes the answer itself; Fastify must not send one too.
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });

  // Stateless: no server-initiated stream to open and no session to end.
  const notHere = async (request: FastifyRequest) => {
    await authenticate(request);
    throw new ApiHttpError(405, 'method_not_allowed', 'This MCP server is stateless: send JSON-RPC messages with POST');
  };
  app.get('/mcp', async (request, reply) => {
    void reply.header('allow', 'POST');
    await notHere(request);
  });
  app.delete('/mcp', async (request, reply) => {
    void reply.header('allow', 'POST');
    await notHere(request);
  });
};
