import { describe, expect, it } from 'vitest';
import { ANTHROPIC_PING_FRAME, anthropicEventFrame } from './anthropic/sse.js';
import { OPENAI_DONE_FRAME, openAiDataFrame, SSE_COMMENT_PING_FRAME } from './openai/sse.js';

describe('SSE frames', () => {
  it('names every Anthropic frame after its type (the SDK drops frames without an event line)', () => {
    expect(anthropicEventFrame({ type: 'message_stop' })).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
    expect(ANTHROPIC_PING_FRAME).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });

  it('writes OpenAI frames as data lines and ends with [DONE]', () => {
    expect(openAiDataFrame({ a: 'x\ny' })).toBe('data: {"a":"x\\ny"}\n\n');
    expect(OPENAI_DONE_FRAME).toBe('data: [DONE]\n\n');
  });

  it('uses an SSE comment as the OpenAI heartbeat', () => {
    expect(SSE_COMMENT_PING_FRAME.startsWith(':')).toBe(true);
    expect(SSE_COMMENT_PING_FRAME.endsWith('\n\n')).toBe(true);
  });
});
