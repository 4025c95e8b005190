// Validation of the OpenAI request bodies the engine accepts, turned into the host's plain
// inputs. Unknown fields are ignored (clients send many we have no use for); known fields with
// the wrong type, and features this engine cannot honour, are refused with a 400 naming the field.
import { z } from 'zod';
import { badRequest, type EngineError } from './errors.js';
import type { ChatInput, ChatMessage, CompletionInput, GenerationParams, ToolSpec } from './host.js';

const stopSchema = z.union([z.string(), z.array(z.string()).max(16)]).nullish();

const samplingFields = {
  model: z.string().optional(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  n: z.number().int().nullish(),
  stop: stopSchema,
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({ type: z.literal('json_schema'), json_schema: z.object({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()).nullish() }) }),
    ])
    .nullish(),
};

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const anyPart = z.object({ type: z.string() }).loose();
const content = z.union([z.string(), z.array(anyPart)]).nullish();

const toolCall = z.object({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content }),
  z.object({ role: z.literal('developer'), content }),
  z.object({ role: z.literal('user'), content }),
  z.object({ role: z.literal('assistant'), content, tool_calls: z.array(toolCall).nullish() }),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string() }),
]);

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
  }),
});

const chatSchema = z.object({
  ...samplingFields,
  messages: z.array(message).min(1),
  tools: z.array(tool).nullish(),
  tool_choice: z
    .union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })])
    .nullish(),
});

const completionSchema = z.object({
  ...samplingFields,
  prompt: z.union([z.string(), z.array(z.string()).min(1).max(1)]),
});

const embeddingSchema = z.object({
  model: z.string().optional(),
  // An empty string has no tokens to embed; OpenAI refuses it too.
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(256)]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
});

export interface Parsed<T> {
  model: string | undefined;
  stream: boolean;
  includeUsage: boolean;
  input: T;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

function fail<T>(error: EngineError): Result<T> {
  return { ok: false, error };
}

function firstIssue(error: z.ZodError): EngineError {
  const issue = error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
  const message = issue ? `${param ?? 'body'}: ${issue.message}` : 'invalid request body';
  return badRequest(message, param);
}

function params(body: z.infer<typeof chatSchema> | z.infer<typeof completionSchema>): Result<GenerationParams> {
  if (body.n != null && body.n !== 1) return fail(badRequest('n: only n=1 is supported by this engine', 'n'));
  const stop = body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  return {
    ok: true,
    value: {
      maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
      temperature: body.temperature ?? undefined,
      topP: body.top_p ?? undefined,
      seed: body.seed ?? undefined,
      stop: stop.filter((s) => s.length > 0),
      presencePenalty: body.presence_penalty ?? undefined,
      frequencyPenalty: body.frequency_penalty ?? undefined,
      json: jsonConstraint(body.response_format),
    },
  };
}

function jsonConstraint(format: z.infer<typeof samplingFields.response_format>): GenerationParams['json'] {
  if (format == null || format.type === 'text') return undefined;
  if (format.type === 'json_object') return 'any';
  return format.json_schema.schema ?? 'any';
}

function textOf(value: z.infer<typeof content>, param: string): Result<string> {
  if (value == null) return { ok: true, value: '' };
  if (typeof value === 'string') return { ok: true, value };
  const texts: string[] = [];
  for (const [i, part] of value.entries()) {
    const text = textPart.safeParse(part);
    if (!text.success) {
      return fail(badRequest(`${param}.${i}: content parts of type "${part.type}" are not supported by this engine (text only)`, `${param}.${i}`));
    }
    texts.push(text.data.text);
  }
  return { ok: true, value: texts.join('\n') };
}

function envelope<T>(body: z.infer<typeof chatSchema> | z.infer<typeof completionSchema>, input: T): Parsed<T> {
  return { model: body.model, stream: body.stream ?? false, includeUsage: body.stream_options?.include_usage ?? false, input };
}

export function parseChatRequest(raw: unknown): Result<Parsed<ChatInput>> {
  const parsed = chatSchema.safeParse(raw);
  if (!parsed.success) return fail(firstIssue(parsed.error));
  const body = parsed.data;
  const p = params(body);
  if (!p.ok) return p;

  const messages: ChatMessage[] = [];
  for (const [i, m] of body.messages.entries()) {
    const text = textOf(m.content, `messages.${i}.content`);
    if (!text.ok) return text;
    if (m.role === 'system' || m.role === 'developer') messages.push({ role: 'system', text: text.value });
    else if (m.role === 'user') messages.push({ role: 'user', text: text.value });
    else if (m.role === 'tool') messages.push({ role: 'tool', toolCallId: m.tool_call_id, text: text.value });
    else {
      const toolCalls = (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
      messages.push({ role: 'assistant', text: text.value, toolCalls });
    }
  }

  let tools: ToolSpec[] = (body.tools ?? []).map((t) => ({
    name: t.function.name,
    description: t.function.description ?? undefined,
    parameters: t.function.parameters ?? undefined,
  }));
  if (tools.length > 0 && p.value.json !== undefined && body.tool_choice !== 'none') {
    return fail(badRequest('response_format cannot be combined with tools in this engine', 'response_format'));
  }
  const choice = body.tool_choice;
  if (choice === 'none') tools = [];
  else if (choice != null && typeof choice === 'object') {
    // A named choice narrows the offer to that one function.
    tools = tools.filter((t) => t.name === choice.function.name);
    if (tools.length === 0) return fail(badRequest(`tool_choice names "${choice.function.name}", which is not in tools`, 'tool_choice'));
  }

  return { ok: true, value: envelope(body, { messages, tools, params: p.value }) };
}

export function parseCompletionRequest(raw: unknown): Result<Parsed<CompletionInput>> {
  const parsed = completionSchema.safeParse(raw);
  if (!parsed.success) return fail(firstIssue(parsed.error));
  const body = parsed.data;
  const p = params(body);
  if (!p.ok) return p;
  const prompt = typeof body.prompt === 'string' ? body.prompt : (body.prompt[0] ?? '');
  return { ok: true, value: envelope(body, { prompt, params: p.value }) };
}

export function parseEmbeddingRequest(
  raw: unknown,
): Result<{ model: string | undefined; inputs: string[]; base64: boolean }> {
  const parsed = embeddingSchema.safeParse(raw);
  if (!parsed.success) return fail(firstIssue(parsed.error));
  const body = parsed.data;
  return {
    ok: true,
    value: {
      model: body.model,
      inputs: typeof body.input === 'string' ? [body.input] : body.input,
      base64: body.encoding_format === 'base64',
    },
  };
}
