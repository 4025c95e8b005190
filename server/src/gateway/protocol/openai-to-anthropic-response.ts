// OpenAI chat completion → Anthropic message, for `/v1/messages` answered by an OpenAI-speaking
// backend. Pure. Rules: docs/gateway-protocols.md ("OpenAI response → Anthropic response").
import type { AnthropicMessagesResponse, AnthropicResponseBlock } from './anthropic/types.js';
import { newAnthropicMessageId, newAnthropicToolUseId } from './ids.js';
import type { OpenAiChatResponse } from './openai/types.js';
import { anthropicStopFor, matchedStopSequence } from './stop-reasons.js';
import { splitThinkTags } from './think-tags.js';
import { anthropicToolId, parseToolArguments } from './tool-input.js';
import { anthropicUsageFrom } from './usage.js';

export interface OpenAiToAnthropicOptions {
  /** The model name the client asked for (what it sees in the answer); defaults to the upstream's. */
  model?: string;
  /** The request's stop sequences, to tell `stop_sequence` from `end_turn` when the engine says which it hit. */
  stopSequences?: readonly string[];
  /** Read a leading `<think>…</think>` in the content as thinking (engines without a reasoning parser). */
  thinkTags?: boolean;
  newToolUseId?: () => string;
}

/** Anthropic message ids start with `msg_`; an upstream id is kept behind that prefix. */
export function anthropicMessageId(upstreamId: string | undefined): string {
  if (upstreamId === undefined || upstreamId === '') return newAnthropicMessageId();
  return upstreamId.startsWith('msg_') ? upstreamId : `msg_${upstreamId}`;
}

export function openAiToAnthropicResponse(response: OpenAiChatResponse, options: OpenAiToAnthropicOptions = {}): AnthropicMessagesResponse {
  // Upstream answers are read defensively: a field an engine left out must not crash the gateway.
  const choice = response.choices?.[0];
  const message = choice?.message;
  let reasoning = message?.reasoning_content ?? message?.reasoning ?? '';
  let text = message?.content ?? message?.refusal ?? '';
  if (options.thinkTags === true && reasoning === '') ({ thinking: reasoning, text } = splitThinkTags(text));

  const content: AnthropicResponseBlock[] = [];
  if (reasoning !== '') content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  if (text !== '') content.push({ type: 'text', text });
  const newId = options.newToolUseId ?? newAnthropicToolUseId;
  for (const call of message?.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: anthropicToolId(call.id, newId), name: call.function?.name ?? '', input: parseToolArguments(call.function?.arguments ?? '') });
  }
  const hasToolCalls = (message?.tool_calls?.length ?? 0) > 0;
  const stop = anthropicStopFor(choice?.finish_reason, hasToolCalls, matchedStopSequence(choice?.stop_reason, options.stopSequences ?? []));
  return {
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: options.model ?? response.model,
    content,
    ...stop,
    usage: anthropicUsageFrom(response.usage),
  };
}
