import { z } from 'zod';
import { checkAnthropicCountTokensRequest, checkAnthropicMessagesRequest, checkOpenAiChatRequest } from '../protocol/index.js';
import type { ClientEndpoint } from '../upstreams/backend.js';
import { isPlainChat } from './plain-chat.js';

/*
 * The minimum a `/v1` body must hold before it is routed: enough that routing and the converters
 * never meet a wrong type. Chat and Messages bodies use the protocol folder's schemas (what the
 * converters rely on); completions and embeddings are only relayed, so a light check is enough.
 * Unknown fields pass through untouched (backends own their parameters).
 */

const model = z.string().trim().min(1).max(1000);
const RELAYED: Record<'completions' | 'embeddings', z.ZodType> = {
  completions: z.object({ model, stream: z.boolean().optional(), prompt: z.union([z.string(), z.array(z.unknown())]) }).passthrough(),
  embeddings: z.object({ model, input: z.union([z.string(), z.array(z.unknown()).min(1)]) }).passthrough(),
};

export type ShapeResult = { ok: true; body: Record<string, unknown> & { model: string } } | { ok: false; message: string; param: string | null };

function relayed(endpoint: 'completions' | 'embeddings', body: unknown): ShapeResult {
  const parsed = RELAYED[endpoint].safeParse(body);
  if (parsed.success) return { ok: true, body: body as Record<string, unknown> & { model: string } };
  const issue = parsed.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
  return { ok: false, message: `${param ?? 'body'}: ${issue?.message ?? 'invalid'}`, param };
}

/** Pure: the body if it has the endpoint's shape, else the first problem in words. */
export function checkShape(endpoint: ClientEndpoint, body: unknown): ShapeResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'The request body must be a JSON object', param: null };
  if (endpoint === 'completions' || endpoint === 'embeddings') return relayed(endpoint, body);
  if (endpoint === 'chat' && isPlainChat(body as Record<string, unknown>)) return { ok: true, body: body as Record<string, unknown> & { model: string } };
  const checked = endpoint === 'chat' ? checkOpenAiChatRequest(body) : endpoint === 'messages' ? checkAnthropicMessagesRequest(body) : checkAnthropicCountTokensRequest(body);
  if (checked.ok) return { ok: true, body: body as Record<string, unknown> & { model: string } };
  return { ok: false, message: checked.failure.message, param: checked.failure.param ?? null };
}
