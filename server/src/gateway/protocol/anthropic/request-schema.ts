// What a `/v1/messages` (or count_tokens) body must look like before the gateway converts it.
// Fields the converters read are checked; everything else passes through unchecked, because
// clients such as Claude Code add fields faster than any gateway could list them.
import { z } from 'zod';
import { checked, type Checked } from '../validation.js';
import type { AnthropicMessagesRequest } from './types.js';

const imageSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string() }).loose(),
  z.object({ type: z.literal('url'), url: z.string().min(1) }).loose(),
]);

const text = z.object({ type: z.literal('text'), text: z.string() }).loose();
const image = z.object({ type: z.literal('image'), source: imageSource }).loose();
const documentBlock = z.object({ type: z.literal('document'), source: z.object({ type: z.string() }).loose() }).loose();

const KNOWN = new Set(['text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking']);
/** Block types this gateway does not know yet: accepted here, refused by a converter that must read them. */
const otherBlock = z.object({ type: z.string().refine((t) => !KNOWN.has(t), 'malformed content block') }).loose();

const block = z.union([
  text,
  image,
  documentBlock,
  z.object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.record(z.string(), z.unknown()) }).loose(),
  z
    .object({
      type: z.literal('tool_result'),
      tool_use_id: z.string().min(1),
      content: z.union([z.string(), z.array(z.union([text, image, documentBlock]))]).optional(),
      is_error: z.boolean().optional(),
    })
    .loose(),
  z.object({ type: z.literal('thinking'), thinking: z.string() }).loose(),
  z.object({ type: z.literal('redacted_thinking') }).loose(),
  otherBlock,
]);

const message = z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) }).loose();

const tool = z.object({ name: z.string().min(1), description: z.string().optional(), input_schema: z.record(z.string(), z.unknown()).optional(), type: z.string().optional() }).loose();

const toolChoice = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }).loose(),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }).loose(),
  z.object({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }).loose(),
  z.object({ type: z.literal('none') }).loose(),
]);

const thinking = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(0) }).loose(),
  z.object({ type: z.literal('disabled') }).loose(),
  z.object({ type: z.literal('adaptive') }).loose(),
]);

const shared = {
  model: z.string().min(1),
  messages: z.array(message),
  system: z.union([z.string(), z.array(text)]).optional(),
  tools: z.array(tool).optional(),
};

const messagesRequest = z
  .object({
    ...shared,
    max_tokens: z.number().int().min(1),
    stop_sequences: z.array(z.string()).optional(),
    stream: z.boolean().optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    metadata: z.object({ user_id: z.string().nullish() }).loose().optional(),
    tool_choice: toolChoice.optional(),
    thinking: thinking.optional(),
  })
  .loose();

const countTokensRequest = z.object({ ...shared, tool_choice: toolChoice.optional(), thinking: thinking.optional() }).loose();

export const checkAnthropicMessagesRequest = (body: unknown): Checked<AnthropicMessagesRequest> => checked(messagesRequest, body);

/** count_tokens takes a Messages body without `max_tokens`. */
export const checkAnthropicCountTokensRequest = (body: unknown): Checked<Omit<AnthropicMessagesRequest, 'max_tokens'>> =>
  checked(countTokensRequest, body);
