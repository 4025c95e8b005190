import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { validationError } from './errors.js';

/*
 * Routes validate with the contract's zod schemas (one source of truth) instead of Fastify's
 * JSON-schema validation, so the same messages reach the web app and the CLI.
 */

export function parseBody<S extends z.ZodType>(schema: S, request: FastifyRequest): z.output<S> {
  // No body at all validates as {} so the message names the missing fields, not "expected object".
  const result = schema.safeParse(request.body ?? {});
  if (!result.success) throw validationError(result.error, 'body');
  return result.data;
}

export function parseQuery<S extends z.ZodType>(schema: S, request: FastifyRequest): z.output<S> {
  const result = schema.safeParse(request.query ?? {});
  if (!result.success) throw validationError(result.error, 'query');
  return result.data;
}

export function parseParams<S extends z.ZodType>(schema: S, request: FastifyRequest): z.output<S> {
  const result = schema.safeParse(request.params ?? {});
  if (!result.success) throw validationError(result.error, 'path');
  return result.data;
}
