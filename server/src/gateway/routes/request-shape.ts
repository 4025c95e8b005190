import { z } from 'zod';
import type { ClientEndpoint } from '../upstreams/backend.js';

/*
 * The minimum a `/v1` body must hold before it is routed: enough that routing and the converters
 * never meet a wrong type. Unknown fields pass through untouched (backends own their parameters).
 */

const model = z.string().trim().min(1).max(1000);
const stream = z.boolean().optional();
const message = z.object({ role: z.string().min(1), content: z.unknown().optional() }).passthrough();
const anthropicContent = z.union([z.string(), z.array(z.object({ type: z.string() }).passthrough())]);
const anthropicMessage = z.object({ role: z.enum(['user', 'assistant']), content: anthropicContent }).passthrough();
const system = z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough())]).optional();

const SHAPES: Record<ClientEndpoint, z.ZodType<Record<string, unknown>>> = {
  chat: z.object({ model, stream, messages: z.array(message).min(1) }).passthrough(),
  completions: z.object({ model, stream, prompt: z.union([z.string(), z.array(z.unknown())]) }).passthrough(),
  embeddings: z.object({ model, input: z.union([z.string(), z.array(z.unknown()).min(1)]) }).passthrough(),
  messages: z.object({ model, stream, system, max_tokens: z.number().int().positive(), messages: z.array(anthropicMessage).min(1) }).passthrough(),
  count_tokens: z.object({ model, system, messages: z.array(anthropicMessage).min(1) }).passthrough(),
};

export type ShapeResult = { ok: true; body: Record<string, unknown> & { model: string } } | { ok: false; message: string; param: string | null };

/** Pure: the body if it has the endpoint's shape, else the first problem in words. */
export function checkShape(endpoint: ClientEndpoint, body: unknown): ShapeResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'The request body must be a JSON object', param: null };
  const parsed = SHAPES[endpoint].safeParse(body);
  if (parsed.success) return { ok: true, body: body as Record<string, unknown> & { model: string } };
  const issue = parsed.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
  return { ok: false, message: `${param ?? 'body'}: ${issue?.message ?? 'invalid'}`, param };
}
