import { describe, expect, it } from 'vitest';
import { chatCompletion, embeddingToBase64, newMeta } from './bodies.js';

describe('OpenAI bodies', () => {
  it('encodes an embedding as little-endian float32 in base64', () => {
    const decoded = Buffer.from(embeddingToBase64([1, -0.5, 3.25]), 'base64');
    expect(decoded.length).toBe(12);
    expect([decoded.readFloatLE(0), decoded.readFloatLE(4), decoded.readFloatLE(8)]).toEqual([1, -0.5, 3.25]);
  });

  it('builds a completion with null content for a tool-only answer and reasoning alongside', () => {
    const meta = newMeta('chatcmpl', 'm', 1_700_000_000_000);
    expect(meta).toMatchObject({ model: 'm', created: 1_700_000_000 });
    expect(meta.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    const body = chatCompletion(meta, { text: '', reasoning: 'r', toolCalls: [{ name: 'f', arguments: '{}' }], finishReason: 'tool_calls', promptTokens: 3, completionTokens: 4 }, ['call_1']);
    expect(body.choices[0]?.message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      reasoning_content: 'r',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
    });
    expect(body.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });
});
