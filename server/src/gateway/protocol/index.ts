// The protocol folder's public face: wire types, SSE frames, converters and error envelopes.
// Everything here is pure (no Node I/O); docs/gateway-protocols.md explains the rules.
export type * from './openai/types.js';
export type * from './anthropic/types.js';
export { OPENAI_DONE_FRAME, openAiDataFrame, SSE_COMMENT_PING_FRAME, SSE_HEADERS } from './openai/sse.js';
export { ANTHROPIC_PING_FRAME, anthropicEventFrame } from './anthropic/sse.js';
export type { StreamTranslator } from './stream-translator.js';
export { anthropicToOpenAiRequest, type AnthropicToOpenAiOptions, type Converted, type OpenAiDialect } from './anthropic-to-openai-request.js';
export { anthropicMessageId, openAiToAnthropicResponse, type OpenAiToAnthropicOptions } from './openai-to-anthropic-response.js';
export { openAiToAnthropicStream, type OpenAiToAnthropicStreamOptions } from './openai-to-anthropic-stream.js';
export {
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  openAiToAnthropicRequest,
  THINKING_BUDGETS,
  type OpenAiToAnthropicRequestOptions,
} from './openai-to-anthropic-request.js';
export { anthropicToOpenAiResponse, type AnthropicToOpenAiResponseOptions } from './anthropic-to-openai-response.js';
export { anthropicToOpenAiStream, type AnthropicToOpenAiStreamOptions } from './anthropic-to-openai-stream.js';
export {
  anthropicErrorBody,
  anthropicErrorTypeFor,
  anthropicStreamErrorFrame,
  ConversionError,
  openAiErrorBody,
  openAiErrorTypeFor,
  openAiStreamErrorFrame,
  type GatewayFailure,
} from './errors.js';
export { estimateInputTokens, type CountTokensInput } from './count-tokens.js';
export { withModel } from './model-rewrite.js';
export { anthropicStopFor, openAiFinishFor } from './stop-reasons.js';
export { anthropicUsageFrom, openAiUsageFrom } from './usage.js';
export { splitThinkTags, ThinkTagStream } from './think-tags.js';
export { checkAnthropicCountTokensRequest, checkAnthropicMessagesRequest } from './anthropic/request-schema.js';
export { checkOpenAiChatRequest } from './openai/request-schema.js';
export type { Checked } from './validation.js';
export { ANTHROPIC_VERSION, anthropicHeadersToForward } from './headers.js';
export { withoutUnsignedThinking } from './unsigned-thinking.js';
