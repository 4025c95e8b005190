// Anthropic stream events → OpenAI chat chunks, for a streamed `/v1/chat/completions` answered by
// an Anthropic backend. Stateful, pure. Rules: docs/gateway-protocols.md
// ("Anthropic stream → OpenAI stream").
import type { AnthropicStreamEvent, AnthropicUsage } from './anthropic/types.js';
import { openAiErrorBody } from './errors.js';
import type { OpenAiChatChunk, OpenAiChunkDelta, OpenAiErrorBody, OpenAiFinishReason } from './openai/types.js';
import { openAiFinishFor } from './stop-reasons.js';
import type { StreamTranslator } from './stream-translator.js';
import { openAiUsageFrom } from './usage.js';

export interface AnthropicToOpenAiStreamOptions {
  /** The model name the client asked for; defaults to the upstream's. */
  model?: string;
  /** The client's `stream_options.include_usage`: a last chunk with `choices: []` and the usage. */
  includeUsage?: boolean;
  /** Seconds since the epoch for `created`. */
  created?: number;
}

/** Anthropic error types → the HTTP status they stand for, so the OpenAI body gets the right type. */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  timeout_error: 504,
  overloaded_error: 529,
};

export function anthropicToOpenAiStream(options: AnthropicToOpenAiStreamOptions = {}): StreamTranslator<AnthropicStreamEvent, OpenAiChatChunk | OpenAiErrorBody> {
  const created = options.created ?? Math.floor(Date.now() / 1000);
  let id = '';
  let model = options.model ?? '';
  /** Anthropic block index → OpenAI tool-call index, for tool_use blocks only. */
  const toolIndexOf = new Map<number, number>();
  let usage: Partial<AnthropicUsage> = {};
  let finishSent = false;
  let finished = false;

  const chunk = (delta: OpenAiChunkDelta, finishReason: OpenAiFinishReason | null = null): OpenAiChatChunk => {
    const out: OpenAiChatChunk = { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] };
    if (options.includeUsage === true) out.usage = null;
    return out;
  };
  const usageChunk = (): OpenAiChatChunk => ({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: openAiUsageFrom(usage) });

  function closing(stopReason: string | null): OpenAiChatChunk[] {
    const out: OpenAiChatChunk[] = [];
    if (!finishSent) out.push(chunk({}, openAiFinishFor(stopReason)));
    finishSent = true;
    return out;
  }

  function translate(event: AnthropicStreamEvent): (OpenAiChatChunk | OpenAiErrorBody)[] {
    switch (event.type) {
      case 'message_start':
        id = event.message?.id ?? '';
        if (options.model === undefined) model = event.message?.model ?? '';
        usage = { ...event.message?.usage };
        return [chunk({ role: 'assistant', content: '' })];
      case 'content_block_start': {
        const block = event.content_block;
        if (block === undefined) return [];
        if (block.type === 'text' && block.text !== '') return [chunk({ content: block.text })];
        if (block.type !== 'tool_use') return [];
        const toolIndex = toolIndexOf.size;
        toolIndexOf.set(event.index, toolIndex);
        const args = Object.keys(block.input ?? {}).length > 0 ? JSON.stringify(block.input) : '';
        return [chunk({ tool_calls: [{ index: toolIndex, id: block.id, type: 'function', function: { name: block.name, arguments: args } }] })];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta === undefined) return [];
        if (delta.type === 'text_delta') return delta.text === '' ? [] : [chunk({ content: delta.text })];
        if (delta.type === 'thinking_delta') return delta.thinking === '' ? [] : [chunk({ reasoning_content: delta.thinking })];
        if (delta.type === 'input_json_delta') {
          const toolIndex = toolIndexOf.get(event.index);
          if (toolIndex === undefined || delta.partial_json === '') return [];
          return [chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] })];
        }
        // signature_delta: proof for Anthropic's servers, nothing an OpenAI client can use.
        return [];
      }
      case 'message_delta':
        usage = { ...usage, ...definedUsage(event.usage ?? {}) };
        return closing(event.delta?.stop_reason ?? null);
      case 'message_stop':
        finished = true;
        return options.includeUsage === true ? [usageChunk()] : [];
      case 'error': {
        finished = true;
        const type = event.error?.type ?? 'api_error';
        const status = STATUS_OF_TYPE[type] ?? 500;
        return [openAiErrorBody({ status, message: event.error?.message ?? 'upstream error', code: type, source: 'upstream' })];
      }
      default:
        // ping, content_block_stop: nothing to say.
        return [];
    }
  }

  return {
    push(event) {
      return finished ? [] : translate(event);
    },
    end() {
      if (finished) return [];
      finished = true;
      const out = closing('end_turn');
      if (options.includeUsage === true) out.push(usageChunk());
      return out;
    },
  };
}

/** `message_delta` usage fields are cumulative, and null when the upstream has no new figure. */
function definedUsage(usage: Partial<Record<keyof AnthropicUsage, number | null>>): Partial<AnthropicUsage> {
  const out: Partial<AnthropicUsage> = {};
  for (const [key, value] of Object.entries(usage)) {
    if (typeof value === 'number') (out as Record<string, number>)[key] = value;
  }
  return out;
}
