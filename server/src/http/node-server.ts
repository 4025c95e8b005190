import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/** A look at a request before Fastify routes it: true when it answered the request itself. */
export type FirstLook = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The options Fastify hands its server factory that shape the server (defaults already applied). */
interface ServerShape {
  http?: ServerOptions;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number | null;
}

/**
 * Node's HTTP server for Fastify, set up as Fastify sets up its own (keep-alive, request and
 * connection timeouts, requests per socket), that offers each request to `firstLook()` before
 * Fastify. The look is read per request: the gateway installs its own once its plugin loaded.
 */
export function serverWithFirstLook(firstLook: () => FirstLook | null): FastifyServerFactory {
  return (fastifyHandler, opts) => {
    const options = opts as ServerShape;
    const server: Server = createServer(options.http ?? {}, (req, res) => {
      if (firstLook()?.(req, res) !== true) fastifyHandler(req, res);
    });
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
    server.requestTimeout = options.requestTimeout ?? 0;
    server.setTimeout(options.connectionTimeout ?? 0);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };
}
