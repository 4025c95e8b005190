// Thinking blocks the gateway made from another backend's reasoning carry an empty signature.
// Claude Code sends them back on the next turn; Anthropic's API refuses a thinking block whose
// signature it cannot verify. So before a request goes to an Anthropic upstream, those blocks go.
import type { AnthropicMessagesRequest } from './anthropic/types.js';

/** A copy without unsigned thinking blocks; the input is returned as-is when there are none. */
export function withoutUnsignedThinking<T extends Pick<AnthropicMessagesRequest, 'messages'>>(request: T): T {
  const unsigned = (block: { type: string; signature?: unknown }) => block.type === 'thinking' && (typeof block.signature !== 'string' || block.signature === '');
  const touched = request.messages.some((m) => Array.isArray(m.content) && m.content.some(unsigned));
  if (!touched) return request;
  return {
    ...request,
    messages: request.messages.map((m) => (Array.isArray(m.content) ? { ...m, content: m.content.filter((b) => !unsigned(b)) } : m)),
  };
}
