// How an answer ended, in each protocol's words. Tables and reasons: docs/gateway-protocols.md
// ("Stop reasons").
import type { AnthropicStopReason } from './anthropic/types.js';
import type { OpenAiFinishReason } from './openai/types.js';

export interface AnthropicStop {
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
}

/**
 * OpenAI `finish_reason` → Anthropic `stop_reason`. `matchedStop` is the stop string an engine
 * reports having hit (vLLM's `stop_reason`), which upgrades `stop` to `stop_sequence`; answers
 * that carry tool calls end in `tool_use` whatever the engine said.
 */
export function anthropicStopFor(finish: string | null | undefined, hasToolCalls: boolean, matchedStop: string | null = null): AnthropicStop {
  if (hasToolCalls || finish === 'tool_calls' || finish === 'function_call') return { stop_reason: 'tool_use', stop_sequence: null };
  if (finish === 'length') return { stop_reason: 'max_tokens', stop_sequence: null };
  if (finish === 'content_filter') return { stop_reason: 'refusal', stop_sequence: null };
  if (matchedStop !== null) return { stop_reason: 'stop_sequence', stop_sequence: matchedStop };
  return { stop_reason: 'end_turn', stop_sequence: null };
}

/** Anthropic `stop_reason` → OpenAI `finish_reason`. */
export function openAiFinishFor(stop: string | null | undefined): OpenAiFinishReason {
  switch (stop) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn and anything newer all mean "the answer is complete".
      return 'stop';
  }
}

/** The stop string an OpenAI choice says it hit, when it is one of the request's. */
export function matchedStopSequence(engineStopReason: unknown, requested: readonly string[]): string | null {
  return typeof engineStopReason === 'string' && requested.includes(engineStopReason) ? engineStopReason : null;
}
