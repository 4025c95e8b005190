import { describe, expect, it } from 'vitest';
import { ANTHROPIC_VERSION, anthropicHeadersToForward } from './headers.js';

describe('anthropicHeadersToForward', () => {
  it('forwards Claude Code’s version and every beta flag, and nothing else', () => {
    const forwarded = anthropicHeadersToForward({
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14, fine-grained-tool-streaming-2025-05-14',
      'x-api-key': 'sk-client-secret',
      authorization: 'Bearer sk-client-secret',
      'x-stainless-os': 'Linux',
    });
    expect(forwarded).toEqual({
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14',
    });
  });

  it('joins repeated beta headers and supplies the version a client left out', () => {
    expect(anthropicHeadersToForward({ 'anthropic-beta': ['a', 'b'] })).toEqual({ 'anthropic-version': ANTHROPIC_VERSION, 'anthropic-beta': 'a,b' });
    expect(anthropicHeadersToForward({})).toEqual({ 'anthropic-version': ANTHROPIC_VERSION });
  });
});
