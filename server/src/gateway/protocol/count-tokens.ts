// `/v1/messages/count_tokens` for backends without a tokenizer to ask: an estimate over the
// request. The rule and its error margin: docs/gateway-protocols.md ("Counting tokens").
import type { AnthropicContentBlock, AnthropicMessagesRequest } from './anthropic/types.js';

/** English prose and code average about four characters per token in current BPE vocabularies. */
export const CHARS_PER_TOKEN = 4;
/** Role markers and separators a chat template adds around each message. */
export const TOKENS_PER_MESSAGE = 4;
/** Anthropic's figure for an image of about 1.15 megapixels; the size is unknown without decoding it. */
export const TOKENS_PER_IMAGE = 1600;
/** A PDF page count is unknown without parsing it: one "page" per this many base64 characters. */
const BASE64_CHARS_PER_DOCUMENT_PAGE = 100_000;
const TOKENS_PER_DOCUMENT_PAGE = 1500;

const textTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

export type CountTokensInput = Pick<AnthropicMessagesRequest, 'messages' | 'system' | 'tools'>;

export function estimateInputTokens(request: CountTokensInput): number {
  let tokens = 0;
  if (typeof request.system === 'string') tokens += textTokens(request.system) + TOKENS_PER_MESSAGE;
  else if (request.system !== undefined) tokens += request.system.reduce((n, b) => n + textTokens(b.text), TOKENS_PER_MESSAGE);
  for (const message of request.messages) {
    tokens += TOKENS_PER_MESSAGE;
    tokens += typeof message.content === 'string' ? textTokens(message.content) : message.content.reduce((n, b) => n + blockTokens(b), 0);
  }
  // Tools reach the model as their JSON definitions rendered into the prompt.
  for (const tool of request.tools ?? []) tokens += textTokens(JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.input_schema }));
  return tokens;
}

function blockTokens(block: AnthropicContentBlock): number {
  switch (block.type) {
    case 'text':
      return textTokens(block.text);
    case 'image':
      return TOKENS_PER_IMAGE;
    case 'document': {
      const data = (block.source as { data?: unknown }).data;
      if (block.source.type === 'text' && typeof data === 'string') return textTokens(data);
      const pages = typeof data === 'string' ? Math.max(1, Math.ceil(data.length / BASE64_CHARS_PER_DOCUMENT_PAGE)) : 1;
      return pages * TOKENS_PER_DOCUMENT_PAGE;
    }
    case 'tool_use':
      return textTokens(block.name) + textTokens(JSON.stringify(block.input ?? {}));
    case 'tool_result':
      if (typeof block.content === 'string') return textTokens(block.content);
      return (block.content ?? []).reduce((n, b) => n + blockTokens(b), 0);
    case 'thinking':
      return textTokens(block.thinking);
    default:
      return 0;
  }
}
