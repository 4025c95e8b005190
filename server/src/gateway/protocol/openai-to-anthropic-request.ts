// OpenAI Chat Completions request → Anthropic Messages request, for `/v1/chat/completions` served
// by an Anthropic backend. Pure. Rules: docs/gateway-protocols.md ("OpenAI request → Anthropic request").
import type { Converted } from './anthropic-to-openai-request.js';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic/types.js';
import { assertValid, ConversionError } from './errors.js';
import { sourceFromImageUrl } from './images.js';
import type { OpenAiChatRequest, OpenAiContentPart, OpenAiMessage, OpenAiTextPart, OpenAiTool, OpenAiToolChoice } from './openai/types.js';
import { checkOpenAiChatRequest } from './openai/request-schema.js';
import { parseToolArguments } from './tool-input.js';

/** Anthropic requires `max_tokens`; OpenAI clients often leave it out. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/** `thinking.budget_tokens` for OpenAI's `reasoning_effort` levels (Anthropic's minimum is 1024). */
export const THINKING_BUDGETS: Readonly<Record<'low' | 'medium' | 'high', number>> = { low: 1024, medium: 4096, high: 16384 };

export interface OpenAiToAnthropicRequestOptions {
  /** The model name the backend expects; defaults to the request's. */
  model?: string;
  defaultMaxTokens?: number;
}

export function openAiToAnthropicRequest(input: OpenAiChatRequest, options: OpenAiToAnthropicRequestOptions = {}): Converted<AnthropicMessagesRequest> {
  const request = assertValid(checkOpenAiChatRequest(input));
  const warnings: string[] = [];
  if (typeof request.n === 'number' && request.n > 1) throw new ConversionError('this backend answers one choice per request (n must be 1)', 'n');
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessage[] = [];
  request.messages.forEach((message, i) => {
    if (!isConversation(message)) system.push(...textBlocks(message.content));
    else appendTurn(messages, message.role === 'assistant' ? 'assistant' : 'user', convertContent(message, `messages[${i}]`, warnings));
  });

  const body: AnthropicMessagesRequest = {
    model: options.model ?? request.model,
    messages,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? options.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
  };
  if (system.length > 0) body.system = system;
  if (typeof request.temperature === 'number') body.temperature = Math.min(1, Math.max(0, request.temperature));
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  if (typeof request.top_k === 'number') body.top_k = request.top_k;
  const stops = stopSequences(request.stop);
  if (stops.length > 0) body.stop_sequences = stops;
  if (request.stream === true) body.stream = true;
  if (typeof request.user === 'string' && request.user !== '') body.metadata = { user_id: request.user };
  const tools = (request.tools ?? []).map(convertTool);
  if (tools.length > 0) body.tools = tools;
  const choice = toolChoice(request.tool_choice, request.parallel_tool_calls);
  // Both APIs refuse a tool_choice without tools.
  if (choice !== undefined && tools.length > 0) body.tool_choice = choice;
  applyReasoning(body, request.reasoning_effort, warnings);
  if (request.response_format !== undefined && request.response_format !== null) warnings.push('response_format dropped: Anthropic has no JSON mode');
  return { body, warnings };
}

/** Anthropic wants alternating turns: a turn with the same role as the previous one joins it. */
function appendTurn(messages: AnthropicMessage[], role: 'user' | 'assistant', blocks: AnthropicContentBlock[]): void {
  if (blocks.length === 0) return;
  const last = messages.at(-1);
  if (last !== undefined && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
  else messages.push({ role, content: blocks });
}

function textBlocks(content: string | OpenAiTextPart[] | OpenAiContentPart[] | null | undefined): AnthropicTextBlock[] {
  if (content === null || content === undefined) return [];
  const parts: readonly OpenAiContentPart[] = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
  const texts = parts.filter((p): p is OpenAiTextPart => p.type === 'text').map((p) => p.text);
  // Anthropic refuses empty text blocks.
  return texts.filter((t) => t !== '').map((text) => ({ type: 'text', text }));
}

type ConversationMessage = Exclude<OpenAiMessage, { role: 'system' | 'developer' }>;

/** `developer` is the newer name of `system`: both become Anthropic's system prompt. */
const isConversation = (message: OpenAiMessage): message is ConversationMessage => message.role !== 'system' && message.role !== 'developer';

function convertContent(message: ConversationMessage, path: string, warnings: string[]): AnthropicContentBlock[] {
  if (message.role === 'tool') {
    return [{ type: 'tool_result', tool_use_id: message.tool_call_id, content: typeof message.content === 'string' ? message.content : textBlocks(message.content) }];
  }
  if (message.role === 'assistant') {
    // Earlier reasoning is not sent back: Anthropic only accepts thinking it signed itself.
    const blocks: AnthropicContentBlock[] = textBlocks(message.content);
    (message.tool_calls ?? []).forEach((call, k) => {
      const input = parseToolArguments(call.function.arguments);
      if ('_raw' in input) warnings.push(`${path}.tool_calls[${k}].function.arguments is not a JSON object; sent under _raw`);
      blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input });
    });
    return blocks;
  }
  if (typeof message.content === 'string') return textBlocks(message.content);
  return message.content.flatMap((part, k) => userBlock(part, `${path}.content[${k}]`));
}

function userBlock(part: OpenAiContentPart, at: string): AnthropicContentBlock[] {
  if (part.type === 'text') return textBlocks([part as OpenAiTextPart]);
  if (part.type === 'image_url') {
    const url = (part as { image_url?: { url?: unknown } }).image_url?.url;
    const source = typeof url === 'string' ? sourceFromImageUrl(url) : null;
    if (source === null) throw new ConversionError('image_url.url must be an http(s) URL or a base64 data URL', `${at}.image_url.url`);
    return [{ type: 'image', source }];
  }
  if (part.type === 'file') {
    const data = (part as { file?: { file_data?: unknown } }).file?.file_data;
    const source = typeof data === 'string' ? sourceFromImageUrl(data) : null;
    if (source?.type === 'base64') return [{ type: 'document', source }];
  }
  throw new ConversionError(`content part type "${part.type}" cannot be sent to this backend`, `${at}.type`);
}

function stopSequences(stop: OpenAiChatRequest['stop']): string[] {
  if (stop === null || stop === undefined) return [];
  // Anthropic refuses stop sequences made only of whitespace.
  return (typeof stop === 'string' ? [stop] : stop).filter((s) => s.trim() !== '');
}

function convertTool(tool: OpenAiTool): AnthropicTool {
  const out: AnthropicTool = { name: tool.function.name, input_schema: tool.function.parameters ?? { type: 'object', properties: {} } };
  if (tool.function.description !== undefined) out.description = tool.function.description;
  return out;
}

function toolChoice(choice: OpenAiToolChoice | undefined, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallel === false ? { type: 'auto', ...noParallel } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...noParallel };
  if (choice === 'required') return { type: 'any', ...noParallel };
  return { type: 'tool', name: choice.function.name, ...noParallel };
}

/**
 * `reasoning_effort` → extended thinking. Anthropic wants the budget below `max_tokens`, and no
 * custom temperature or top_k while thinking.
 */
function applyReasoning(body: AnthropicMessagesRequest, effort: OpenAiChatRequest['reasoning_effort'], warnings: string[]): void {
  if (effort !== 'low' && effort !== 'medium' && effort !== 'high') return;
  const budget = Math.min(THINKING_BUDGETS[effort], body.max_tokens - 1);
  if (budget < THINKING_BUDGETS.low) {
    warnings.push(`reasoning_effort dropped: max_tokens ${body.max_tokens} leaves no room for thinking`);
    return;
  }
  body.thinking = { type: 'enabled', budget_tokens: budget };
  if (body.temperature !== undefined || body.top_k !== undefined) warnings.push('temperature and top_k dropped: Anthropic fixes them while thinking');
  delete body.temperature;
  delete body.top_k;
}
