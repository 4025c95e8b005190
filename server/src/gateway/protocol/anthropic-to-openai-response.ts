// Anthropic message → OpenAI chat completion, for `/v1/chat/completions` answered by an Anthropic
// backend. Pure. Rules: docs/gateway-protocols.md ("Anthropic response → OpenAI response").
import type { AnthropicMessagesResponse } from './anthropic/types.js';
import type { OpenAiChatResponse, OpenAiResponseMessage, OpenAiToolCall } from './openai/types.js';
import { openAiFinishFor } from './stop-reasons.js';
import { joinTexts } from './text-joins.js';
import { openAiUsageFrom } from './usage.js';

export interface AnthropicToOpenAiResponseOptions {
  /** The model name the client asked for; defaults to the upstream's. */
  model?: string;
  /** Seconds since the epoch for `created`. */
  created?: number;
}

export function anthropicToOpenAiResponse(response: AnthropicMessagesResponse, options: AnthropicToOpenAiResponseOptions = {}): OpenAiChatResponse {
  const texts: string[] = [];
  const thoughts: string[] = [];
  const calls: OpenAiToolCall[] = [];
  // Read defensively: a field the upstream left out must not crash the gateway.
  for (const block of response.content ?? []) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'thinking') thoughts.push(block.thinking);
    else if (block.type === 'tool_use') {
      calls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  // Text blocks of one answer are consecutive pieces of it (split around citations): no separator.
  const text = texts.join('');
  const message: OpenAiResponseMessage = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text, refusal: null };
  if (thoughts.length > 0) message.reasoning_content = joinTexts(thoughts);
  if (calls.length > 0) message.tool_calls = calls;
  return {
    id: response.id,
    object: 'chat.completion',
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: options.model ?? response.model,
    choices: [{ index: 0, message, finish_reason: openAiFinishFor(response.stop_reason), logprobs: null }],
    usage: openAiUsageFrom(response.usage),
  };
}
