// Anthropic Messages request → OpenAI Chat Completions request, for `/v1/messages` served by an
// OpenAI-speaking backend. Pure. Every rule and why: docs/gateway-protocols.md
// ("Anthropic request → OpenAI request").
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicMessagesRequest,
  AnthropicThinking,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
} from './anthropic/types.js';
import { checkAnthropicMessagesRequest } from './anthropic/request-schema.js';
import { assertValid, ConversionError } from './errors.js';
import { imageUrlFromSource } from './images.js';
import type { OpenAiChatRequest, OpenAiContentPart, OpenAiMessage, OpenAiTool, OpenAiToolCall, OpenAiToolChoice } from './openai/types.js';
import { joinTexts } from './text-joins.js';

/**
 * `openai`: OpenAI's own API, which refuses fields it does not know (`top_k`…) and wants
 * `max_completion_tokens`. `compatible`: local engines and OpenAI-compatible servers, which take
 * `max_tokens`, `top_k` and `chat_template_kwargs`.
 */
export type OpenAiDialect = 'openai' | 'compatible';

export interface AnthropicToOpenAiOptions {
  dialect?: OpenAiDialect;
  /** The model name the backend expects; defaults to the request's. */
  model?: string;
}

export interface Converted<T> {
  body: T;
  /** What could not be carried over, for the log (never sent to the client). */
  warnings: string[];
}

/** OpenAI's API takes at most this many stop strings. */
const OPENAI_MAX_STOPS = 4;

export function anthropicToOpenAiRequest(input: AnthropicMessagesRequest, options: AnthropicToOpenAiOptions = {}): Converted<OpenAiChatRequest> {
  const request = assertValid(checkAnthropicMessagesRequest(input));
  const dialect = options.dialect ?? 'compatible';
  const warnings: string[] = [];
  const messages: OpenAiMessage[] = [];
  const system = systemText(request.system);
  if (system !== '') messages.push({ role: 'system', content: system });
  request.messages.forEach((message, i) => messages.push(...convertMessage(message, `messages[${i}]`, dialect)));

  const body: OpenAiChatRequest = { model: options.model ?? request.model, messages };
  if (dialect === 'openai') body.max_completion_tokens = request.max_tokens;
  else body.max_tokens = request.max_tokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (request.top_k !== undefined) {
    if (dialect === 'compatible') body.top_k = request.top_k;
    else warnings.push('top_k dropped: OpenAI has no such parameter');
  }
  if (request.stop_sequences !== undefined && request.stop_sequences.length > 0) {
    body.stop = dialect === 'openai' ? request.stop_sequences.slice(0, OPENAI_MAX_STOPS) : [...request.stop_sequences];
    if (body.stop.length < request.stop_sequences.length) warnings.push(`stop_sequences cut to the first ${OPENAI_MAX_STOPS}`);
  }
  if (request.stream === true) {
    body.stream = true;
    // Usage arrives only when asked for; the Anthropic `message_delta` needs it.
    body.stream_options = { include_usage: true };
  }
  const userId = request.metadata?.user_id;
  if (typeof userId === 'string' && userId !== '') body.user = userId;
  Object.assign(body, thinkingFields(request.thinking, dialect));

  const tools = convertTools(request.tools ?? [], warnings);
  if (tools.length > 0) body.tools = tools;
  // Both APIs refuse a tool_choice without tools.
  if (request.tool_choice !== undefined && tools.length > 0) {
    Object.assign(body, toolChoiceFields(request.tool_choice));
  }
  return { body, warnings };
}

function systemText(system: AnthropicMessagesRequest['system']): string {
  if (system === undefined) return '';
  return typeof system === 'string' ? system : joinTexts(system.map((b) => b.text));
}

function convertMessage(message: AnthropicMessage, path: string, dialect: OpenAiDialect): OpenAiMessage[] {
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }];
  return message.role === 'assistant' ? [assistantMessage(message.content)] : userMessages(message.content, path, dialect);
}

function assistantMessage(blocks: AnthropicContentBlock[]): OpenAiMessage {
  const texts: string[] = [];
  const calls: OpenAiToolCall[] = [];
  for (const block of blocks) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      calls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
    // thinking / redacted_thinking: signed for Anthropic's servers only; an OpenAI backend cannot take them back.
  }
  const text = joinTexts(texts);
  if (calls.length === 0) return { role: 'assistant', content: text };
  return { role: 'assistant', content: text === '' ? null : text, tool_calls: calls };
}

/** Tool results become `tool` messages first (they answer the previous turn), then the rest of the user turn. */
function userMessages(blocks: AnthropicContentBlock[], path: string, dialect: OpenAiDialect): OpenAiMessage[] {
  const out: OpenAiMessage[] = [];
  const parts: OpenAiContentPart[] = [];
  blocks.forEach((block, j) => {
    const at = `${path}.content[${j}]`;
    if (block.type === 'tool_result') {
      const result = toolResult(block, at, dialect);
      out.push(result.message);
      // A tool message holds text only: its images ride in the user message that follows.
      parts.push(...result.images);
    } else {
      const part = userPart(block, at, dialect);
      if (part) parts.push(part);
    }
  });
  if (parts.length > 0) out.push({ role: 'user', content: userContent(parts) });
  return out;
}

/** Text-only content is sent as one string: some engines glue text parts together without a space. */
function userContent(parts: OpenAiContentPart[]): string | OpenAiContentPart[] {
  if (!parts.every((p) => p.type === 'text')) return parts;
  return joinTexts(parts.map((p) => (p as { text: string }).text));
}

function userPart(block: AnthropicContentBlock, at: string, dialect: OpenAiDialect): OpenAiContentPart | null {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image_url', image_url: { url: imageUrlFromSource(block.source) } };
    case 'document':
      return documentPart(block.source, at, dialect);
    case 'thinking':
    case 'redacted_thinking':
      return null;
    default:
      throw new ConversionError(`content block type "${block.type}" cannot be sent to this backend`, `${at}.type`);
  }
}

function documentPart(source: Record<string, unknown>, at: string, dialect: OpenAiDialect): OpenAiContentPart {
  if (source.type === 'text' && typeof source.data === 'string') return { type: 'text', text: source.data };
  if (dialect === 'openai' && source.type === 'base64' && typeof source.data === 'string') {
    return { type: 'file', file: { file_data: `data:${String(source.media_type)};base64,${source.data}` } };
  }
  throw new ConversionError('this backend cannot read PDF documents; send the text instead', `${at}.source`);
}

function toolResult(block: AnthropicToolResultBlock, at: string, dialect: OpenAiDialect): { message: OpenAiMessage; images: OpenAiContentPart[] } {
  const texts: string[] = [];
  const images: OpenAiContentPart[] = [];
  if (typeof block.content === 'string') texts.push(block.content);
  else {
    (block.content ?? []).forEach((inner, k) => {
      const part = userPart(inner, `${at}.content[${k}]`, dialect);
      if (part?.type === 'text') texts.push((part as { text: string }).text);
      else if (part) images.push(part);
    });
  }
  const text = joinTexts(texts);
  // OpenAI has no error flag on tool messages: the model reads it in the text.
  const content = block.is_error === true ? `Error: ${text}` : text;
  return { message: { role: 'tool', tool_call_id: block.tool_use_id, content }, images };
}

function convertTools(tools: AnthropicTool[], warnings: string[]): OpenAiTool[] {
  const out: OpenAiTool[] = [];
  for (const tool of tools) {
    if (tool.type !== undefined && tool.type !== 'custom') {
      // Server tools (web search, code execution…) run on Anthropic's side; no OpenAI backend has them.
      warnings.push(`tool "${tool.name}" (${tool.type}) dropped: only Anthropic runs server tools`);
      continue;
    }
    const fn: OpenAiTool['function'] = { name: tool.name, parameters: tool.input_schema };
    if (tool.description !== undefined) fn.description = tool.description;
    out.push({ type: 'function', function: fn });
  }
  return out;
}

function toolChoiceFields(choice: AnthropicToolChoice): { tool_choice: OpenAiToolChoice; parallel_tool_calls?: boolean } {
  const toolChoice: OpenAiToolChoice =
    choice.type === 'any' ? 'required' : choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
  const noParallel = choice.type !== 'none' && choice.disable_parallel_tool_use === true;
  return noParallel ? { tool_choice: toolChoice, parallel_tool_calls: false } : { tool_choice: toolChoice };
}

/** Budget bounds for OpenAI's three `reasoning_effort` levels. */
const MEDIUM_BUDGET = 4096;
const HIGH_BUDGET = 16384;

function thinkingFields(thinking: AnthropicThinking | undefined, dialect: OpenAiDialect): Partial<OpenAiChatRequest> {
  if (thinking === undefined) return {};
  const enabled = thinking.type !== 'disabled';
  if (dialect === 'compatible') return { chat_template_kwargs: { enable_thinking: enabled } };
  if (!enabled) return {};
  if (thinking.type === 'adaptive') return { reasoning_effort: 'medium' };
  const budget = thinking.budget_tokens;
  return { reasoning_effort: budget >= HIGH_BUDGET ? 'high' : budget >= MEDIUM_BUDGET ? 'medium' : 'low' };
}
