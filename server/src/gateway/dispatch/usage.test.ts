import { describe, expect, it } from 'vitest';
import { foldUsage, NO_USAGE } from './usage.js';

describe('foldUsage', () => {
  it('reads an OpenAI answer or usage chunk', () => {
    expect(foldUsage(NO_USAGE, 'openai', { usage: { prompt_tokens: 12, completion_tokens: 5 } })).toEqual({ input: 12, output: 5 });
  });

  it('keeps what it had when a chunk carries no usage', () => {
    const acc = { input: 3, output: 4 };
    expect(foldUsage(acc, 'openai', { choices: [], usage: null })).toBe(acc);
    expect(foldUsage(acc, 'anthropic', { type: 'content_block_delta' })).toBe(acc);
    expect(foldUsage(acc, 'openai', 'not json object')).toBe(acc);
  });

  it('adds Anthropic cache buckets to the input and takes the cumulative output of message_delta', () => {
    let acc = foldUsage(NO_USAGE, 'anthropic', {
      type: 'message_start',
      message: { usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 5, cache_creation_input_tokens: 2 } },
    });
    expect(acc).toEqual({ input: 17, output: 1 });
    acc = foldUsage(acc, 'anthropic', { type: 'message_delta', usage: { output_tokens: 42 } });
    expect(acc).toEqual({ input: 17, output: 42 });
  });

  it('reads a whole Anthropic answer', () => {
    expect(foldUsage(NO_USAGE, 'anthropic', { type: 'message', usage: { input_tokens: 8, output_tokens: 9 } })).toEqual({ input: 8, output: 9 });
  });
});
