// Test-only: the order rules of an Anthropic stream, checked over a whole event list. A client
// such as Claude Code fails on a delta for a block it never saw start ("content block not found"),
// on a block that changes type, or on a missing message_start / message_stop.
import type { AnthropicStreamEvent } from '../anthropic/types.js';

const DELTA_FOR: Record<string, string> = { text: 'text_delta', thinking: 'thinking_delta', tool_use: 'input_json_delta' };

/** The first broken rule, or null when the stream is well formed. */
export function anthropicGrammarError(events: readonly AnthropicStreamEvent[]): string | null {
  const body = events.filter((e) => e.type !== 'ping');
  if (body[0]?.type !== 'message_start') return 'the stream must open with message_start';
  if (body.at(-1)?.type !== 'message_stop') return 'the stream must end with message_stop';
  let open: { index: number; type: string } | null = null;
  let next = 0;
  let delta = false;
  for (const [i, e] of body.entries()) {
    if (e.type === 'message_start' && i !== 0) return `message_start again at ${i}`;
    if (e.type === 'content_block_start') {
      if (open !== null) return `block ${e.index} starts while block ${open.index} is open`;
      if (e.index !== next) return `block index ${e.index}, expected ${next}`;
      if (delta) return 'a block starts after message_delta';
      open = { index: e.index, type: e.content_block.type };
      next += 1;
    } else if (e.type === 'content_block_delta') {
      if (open === null || open.index !== e.index) return `delta for block ${e.index}, which is not open`;
      if (e.delta.type !== DELTA_FOR[open.type] && !(open.type === 'thinking' && e.delta.type === 'signature_delta')) {
        return `${e.delta.type} in a ${open.type} block`;
      }
    } else if (e.type === 'content_block_stop') {
      if (open === null || open.index !== e.index) return `stop for block ${e.index}, which is not open`;
      open = null;
    } else if (e.type === 'message_delta') {
      if (open !== null) return `message_delta while block ${open.index} is open`;
      delta = true;
    } else if (e.type === 'message_stop' && !delta) return 'message_stop without message_delta';
  }
  return null;
}
