import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiError, ErrorCode } from '@mlx-manager/contract';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { normaliseError, sendError } from './errors.js';

/*
 * Errors raised before a request reaches Fastify's routing (Node's HTTP parser, the URL
 * decoder) would otherwise answer with Fastify's own body. Both answer in the /api envelope.
 */

interface ClientErrorReply {
  status: number;
  code: ErrorCode;
  message: string;
}

/** Pure: a parser or timeout error of Node's HTTP server → what to answer. */
export function clientErrorReply(code: string | undefined): ClientErrorReply {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: 'The request did not arrive in time' };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: 'Request headers are too large' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return { status: 400, code: 'bad_request', message: 'Invalid Content-Length header' };
    default:
      return { status: 400, code: 'bad_request', message: 'Malformed HTTP request' };
  }
}

/** Pure: the raw HTTP/1.1 response for a client error; the connection closes after it. */
export function clientErrorResponse(reply: ClientErrorReply): string {
  const body: ApiError = { error: { code: reply.code, message: reply.message } };
  const text = JSON.stringify(body);
  return [
    `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    text,
  ].join('\r\n');
}

/** Fastify's `clientErrorHandler`: write the envelope if the socket still can, then close it. */
export function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.write(clientErrorResponse(clientErrorReply(err.code)));
  socket.destroy(err);
}

/** Fastify's `frameworkErrors`: a URL that does not decode (`/api/keys/%`) and the like. */
export function onFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const n = error.code === 'FST_ERR_BAD_URL' ? { status: 400, code: 'bad_request' as const, message: 'Malformed URL: a %-escape does not decode' } : normaliseError(error);
  void sendError(request, reply, n);
}
