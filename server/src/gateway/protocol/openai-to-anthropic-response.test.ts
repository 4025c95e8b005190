import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import type { OpenAiChatResponse } from './openai/types.js';
import { anthropicMessageId, openAiToAnthropicResponse } from './openai-to-anthropic-response.js';

const toolCalls = fixtureJson<OpenAiChatResponse>('openai-tool-calls.response.json');

function answer(message: Partial<OpenAiChatResponse['choices'][number]['message']>, finish: OpenAiChatResponse['choices'][number]['finish_reason'] = 'stop'): OpenAiChatResponse {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'upstream-name',
    choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
  };
}

describe('openAiToAnthropicResponse', () => {
  const message = openAiToAnthropicResponse(toolCalls, { model: 'claude-sonnet-4-5' });

  it('orders thinking, text, then tool_use with parsed input and the same id', () => {
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user wants the weather.', signature: '' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { city: 'Paris' } },
    ]);
  });

  it('answers with the client’s model name, an msg_ id and tool_use as the stop reason', () => {
    expect(message).toMatchObject({ id: 'msg_chatcmpl-9', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_reason: 'tool_use', stop_sequence: null });
  });

  it('counts cached prompt tokens apart from fresh input', () => {
    expect(message.usage).toEqual({ input_tokens: 20, output_tokens: 30, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 });
  });

  it('maps finish reasons', () => {
    const stopOf = (finish: OpenAiChatResponse['choices'][number]['finish_reason']) => openAiToAnthropicResponse(answer({ content: 'x' }, finish)).stop_reason;
    expect(stopOf('stop')).toBe('end_turn');
    expect(stopOf('length')).toBe('max_tokens');
    expect(stopOf('content_filter')).toBe('refusal');
    expect(stopOf('tool_calls')).toBe('tool_use');
  });

  it('says tool_use when calls are present even if the engine said stop', () => {
    const calls = [{ id: 'c', type: 'function' as const, function: { name: 'f', arguments: '{}' } }];
    expect(openAiToAnthropicResponse(answer({ tool_calls: calls }, 'stop')).stop_reason).toBe('tool_use');
  });

  it('reads mlx_lm’s `reasoning`, and a leading <think> block only when asked', () => {
    expect(openAiToAnthropicResponse(answer({ reasoning: 'r', content: 'a' })).content[0]).toEqual({ type: 'thinking', thinking: 'r', signature: '' });
    const tagged = answer({ content: '<think>plan</think>\n\nAnswer' });
    expect(openAiToAnthropicResponse(tagged).content).toEqual([{ type: 'text', text: '<think>plan</think>\n\nAnswer' }]);
    expect(openAiToAnthropicResponse(tagged, { thinkTags: true }).content).toEqual([
      { type: 'thinking', thinking: 'plan', signature: '' },
      { type: 'text', text: 'Answer' },
    ]);
  });

  it('keeps arguments that are not a JSON object under _raw, and sanitizes or invents tool ids', () => {
    const calls = [
      { id: 'call:1', type: 'function' as const, function: { name: 'f', arguments: 'not json' } },
      { id: '', type: 'function' as const, function: { name: 'g', arguments: '' } },
    ];
    const content = openAiToAnthropicResponse(answer({ tool_calls: calls }), { newToolUseId: () => 'toolu_fresh' }).content;
    expect(content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'f', input: { _raw: 'not json' } },
      { type: 'tool_use', id: 'toolu_fresh', name: 'g', input: {} },
    ]);
  });

  it('gives an empty answer an empty content list', () => {
    expect(openAiToAnthropicResponse(answer({ content: '' })).content).toEqual([]);
  });

  it('prefixes ids with msg_ once', () => {
    expect(anthropicMessageId('msg_1')).toBe('msg_1');
    expect(anthropicMessageId('abc')).toBe('msg_abc');
    expect(anthropicMessageId(undefined)).toMatch(/^msg_[0-9a-f]{24}$/);
  });
});
