import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import type { AnthropicMessagesRequest } from './anthropic/types.js';
import { CHARS_PER_TOKEN, estimateInputTokens, TOKENS_PER_IMAGE, TOKENS_PER_MESSAGE } from './count-tokens.js';

describe('estimateInputTokens', () => {
  it('counts a plain message as its characters over four plus the message overhead', () => {
    expect(estimateInputTokens({ messages: [{ role: 'user', content: 'x'.repeat(40) }] })).toBe(40 / CHARS_PER_TOKEN + TOKENS_PER_MESSAGE);
  });

  it('counts the system prompt, images and tools', () => {
    const bare = estimateInputTokens({ messages: [{ role: 'user', content: 'hi' }] });
    expect(estimateInputTokens({ system: 'y'.repeat(400), messages: [{ role: 'user', content: 'hi' }] })).toBe(bare + 100 + TOKENS_PER_MESSAGE);
    const withImage = estimateInputTokens({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { type: 'url', url: 'https://e/x.png' } }] }],
    });
    expect(withImage).toBe(bare + TOKENS_PER_IMAGE);
    const withTool = estimateInputTokens({ messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] });
    expect(withTool).toBeGreaterThan(bare);
  });

  it('grows with tool results and tool calls in the history', () => {
    const request = fixtureJson<AnthropicMessagesRequest>('claude-code-second-turn.request.json');
    const full = estimateInputTokens(request);
    const withoutHistory = estimateInputTokens({ ...request, messages: request.messages.slice(0, 1) });
    expect(full).toBeGreaterThan(withoutHistory + 10);
  });

  it('is a whole number and 0 only for nothing', () => {
    expect(estimateInputTokens({ messages: [] })).toBe(0);
    expect(Number.isInteger(estimateInputTokens({ messages: [{ role: 'user', content: 'abc' }] }))).toBe(true);
  });
});
