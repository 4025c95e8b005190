// What a `/v1/chat/completions` body must look like before the gateway converts it to Anthropic.
// Fields the converter reads are checked; the rest passes through.
import { z } from 'zod';
import { checked, type Checked } from '../validation.js';
import type { OpenAiChatRequest } from './types.js';

const part = z.object({ type: z.string().min(1) }).loose();
const textPart = z.object({ type: z.literal('text'), text: z.string() }).loose();
const content = z.union([z.string(), z.array(part)]);

const toolCall = z.object({ id: z.string().min(1), type: z.literal('function').optional(), function: z.object({ name: z.string().min(1), arguments: z.string() }).loose() }).loose();

const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.union([z.string(), z.array(textPart)]) }).loose(),
  z.object({ role: z.literal('developer'), content: z.union([z.string(), z.array(textPart)]) }).loose(),
  z.object({ role: z.literal('user'), content }).loose(),
  z.object({ role: z.literal('assistant'), content: content.nullish(), tool_calls: z.array(toolCall).nullish() }).loose(),
  z.object({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: z.union([z.string(), z.array(textPart)]) }).loose(),
]);

const tool = z
  .object({
    type: z.literal('function'),
    function: z.object({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }).loose(),
  })
  .loose();

const chatRequest = z
  .object({
    model: z.string().min(1),
    messages: z.array(message).min(1),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    n: z.number().int().min(1).nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullish(),
    tools: z.array(tool).optional(),
    tool_choice: z
      .union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }).loose()])
      .optional(),
    parallel_tool_calls: z.boolean().optional(),
    reasoning_effort: z.string().nullish(),
    user: z.string().optional(),
  })
  .loose();

export const checkOpenAiChatRequest = (body: unknown): Checked<OpenAiChatRequest> => checked(chatRequest, body);
