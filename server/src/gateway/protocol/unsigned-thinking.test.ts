import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import type { AnthropicMessagesRequest } from './anthropic/types.js';
import { withoutUnsignedThinking } from './unsigned-thinking.js';

describe('withoutUnsignedThinking', () => {
  const secondTurn = fixtureJson<AnthropicMessagesRequest>('claude-code-second-turn.request.json');

  it('drops the thinking block a local model produced and keeps the rest of the turn', () => {
    const out = withoutUnsignedThinking(secondTurn);
    const assistant = out.messages[1]?.content;
    expect(Array.isArray(assistant) && assistant.map((b) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
    expect(secondTurn.messages[1]?.content).toHaveLength(4);
  });

  it('keeps signed thinking and returns the same object when nothing changes', () => {
    const signed: AnthropicMessagesRequest = {
      model: 'c',
      max_tokens: 10,
      messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 'EqQB' }, { type: 'text', text: 'a' }] }],
    };
    expect(withoutUnsignedThinking(signed)).toBe(signed);
  });
});
