import {
  anthropicEventFrame,
  anthropicToOpenAiRequest,
  anthropicToOpenAiResponse,
  anthropicToOpenAiStream,
  ConversionError,
  estimateInputTokens,
  OPENAI_DONE_FRAME,
  openAiDataFrame,
  openAiToAnthropicRequest,
  openAiToAnthropicResponse,
  openAiToAnthropicStream,
  type AnthropicMessagesRequest,
  type AnthropicMessagesResponse,
  type AnthropicStreamEvent,
  type CountTokensInput,
  type OpenAiChatChunk,
  type OpenAiChatRequest,
  type OpenAiChatResponse,
} from '../protocol/index.js';
import { isObject } from '../upstreams/backend.js';
import type { RequestTranslation, TranslateInput, Translator } from './translator.js';

/** Anthropic client (`/v1/messages`) on an OpenAI-speaking backend. */
function messagesOverChat(input: TranslateInput): RequestTranslation {
  const request = input.body as unknown as AnthropicMessagesRequest;
  const converted = anthropicToOpenAiRequest(request, { dialect: input.dialect, model: input.upstreamModel });
  const stopSequences = request.stop_sequences ?? [];
  const options = { model: input.clientModel, stopSequences };
  return {
    body: converted.body as unknown as Record<string, unknown>,
    response: (upstream) => openAiToAnthropicResponse(upstream as OpenAiChatResponse, options),
    stream() {
      const t = openAiToAnthropicStream(options);
      const frames = (events: AnthropicStreamEvent[]) => events.map(anthropicEventFrame).join('');
      return {
        push: (p) => (isObject(p) ? frames(t.push(p as unknown as OpenAiChatChunk)) : ''),
        end: () => frames(t.end()),
      };
    },
  };
}

/** OpenAI client (`/v1/chat/completions`) on an Anthropic backend. */
function chatOverMessages(input: TranslateInput): RequestTranslation {
  const request = input.body as unknown as OpenAiChatRequest;
  const converted = openAiToAnthropicRequest(request, { model: input.upstreamModel });
  const includeUsage = isObject(input.body.stream_options) && input.body.stream_options.include_usage === true;
  return {
    body: converted.body as unknown as Record<string, unknown>,
    response: (upstream) => anthropicToOpenAiResponse(upstream as AnthropicMessagesResponse, { model: input.clientModel }),
    stream() {
      const t = anthropicToOpenAiStream({ model: input.clientModel, includeUsage });
      const frames = (chunks: unknown[]) => chunks.map(openAiDataFrame).join('');
      return {
        push: (p) => (isObject(p) ? frames(t.push(p as unknown as AnthropicStreamEvent)) : ''),
        end: () => frames(t.end()) + OPENAI_DONE_FRAME,
      };
    },
  };
}

/**
 * Same protocol, another dialect: each answer or chunk is rewritten by `reshape` (a backend's
 * quirk) and re-framed; the request goes unchanged.
 */
export function reshaping(body: Record<string, unknown>, reshape: (payload: Record<string, unknown>) => Record<string, unknown>): RequestTranslation {
  const apply = (p: unknown): unknown => (isObject(p) ? reshape(p) : p);
  return {
    body,
    response: apply,
    stream: () => ({ push: (p) => (isObject(p) ? openAiDataFrame(reshape(p)) : ''), end: () => OPENAI_DONE_FRAME }),
  };
}

/** The dispatcher's Translator over gateway/protocol's pure converters. */
export function protocolTranslator(): Translator {
  return {
    translate(input: TranslateInput): RequestTranslation {
      if (input.endpoint === 'messages' && input.route.protocol === 'openai') return messagesOverChat(input);
      if (input.endpoint === 'chat' && input.route.protocol === 'anthropic') return chatOverMessages(input);
      throw new ConversionError(`${input.endpoint} cannot be converted for this backend`);
    },
    // The route checked the shape (messages, system) the estimate reads.
    estimateTokens: (body) => estimateInputTokens(body as unknown as CountTokensInput),
  };
}
