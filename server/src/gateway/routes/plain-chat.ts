/*
 * The common chat request — text messages in the four plain roles, maybe `stream` and
 * `max_tokens` — recognised without the protocol schema (zod), which is the thorough check and
 * costs a microsecond or so on every /v1 request. Conservative: true only for bodies the schema
 * accepts (a test throws thousands of generated bodies at both); anything else, well-formed or
 * not, goes through the schema, which also words the errors.
 */

import { isObject } from '../upstreams/backend.js';

const PLAIN_ROLES: ReadonlySet<unknown> = new Set(['system', 'developer', 'user', 'assistant']);

/** Fields the chat schema checks beyond these: the fast path takes a body only without them. */
const OTHER_CHECKED_FIELDS = [
  'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop', 'stream_options', 'tools', 'tool_choice', 'parallel_tool_calls', 'reasoning_effort', 'user',
] as const;

/** Pure: true when `body` is a plain chat request the chat schema would accept. */
export function isPlainChat(body: Record<string, unknown>): boolean {
  const { model, stream, max_tokens: maxTokens, messages } = body;
  if (typeof model !== 'string' || model.length === 0) return false;
  if (stream !== undefined && typeof stream !== 'boolean') return false;
  if (maxTokens !== undefined && !(Number.isSafeInteger(maxTokens) && (maxTokens as number) >= 1)) return false;
  for (const field of OTHER_CHECKED_FIELDS) if (body[field] !== undefined) return false;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const message of messages as unknown[]) {
    if (!isObject(message)) return false;
    const { role, content, tool_calls: toolCalls } = message;
    if (!PLAIN_ROLES.has(role) || typeof content !== 'string' || toolCalls !== undefined) return false;
  }
  return true;
}
