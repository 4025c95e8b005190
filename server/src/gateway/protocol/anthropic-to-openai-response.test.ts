import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import { anthropicToOpenAiResponse } from './anthropic-to-openai-response.js';
import type { AnthropicMessagesResponse } from './anthropic/types.js';

const toolUse = fixtureJson<AnthropicMessagesResponse>('anthropic-tool-use.response.json');

describe('anthropicToOpenAiResponse', () => {
  const completion = anthropicToOpenAiResponse(toolUse, { model: 'my-claude', created: 1700 });
  const choice = completion.choices[0];

  it('puts text in content, thinking in reasoning_content and tool_use in tool_calls with JSON arguments', () => {
    expect(choice?.message).toEqual({
      role: 'assistant',
      content: 'Hi',
      refusal: null,
      reasoning_content: 'Need the weather tool.',
      tool_calls: [{ id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    });
    expect(choice?.finish_reason).toBe('tool_calls');
  });

  it('reports the client’s model name and the upstream id', () => {
    expect(completion).toMatchObject({ id: 'msg_01XFDUDYJgAACzvnptvVoYEL', object: 'chat.completion', created: 1700, model: 'my-claude' });
  });

  it('counts both cache buckets into prompt_tokens and cached reads into the details', () => {
    expect(completion.usage).toEqual({ prompt_tokens: 30, completion_tokens: 12, total_tokens: 42, prompt_tokens_details: { cached_tokens: 7 } });
  });

  it('maps every stop reason', () => {
    const finishOf = (stop_reason: AnthropicMessagesResponse['stop_reason']) => anthropicToOpenAiResponse({ ...toolUse, stop_reason }).choices[0]?.finish_reason;
    expect(finishOf('end_turn')).toBe('stop');
    expect(finishOf('stop_sequence')).toBe('stop');
    expect(finishOf('pause_turn')).toBe('stop');
    expect(finishOf('max_tokens')).toBe('length');
    expect(finishOf('model_context_window_exceeded')).toBe('length');
    expect(finishOf('refusal')).toBe('content_filter');
  });

  it('gives a tool-only answer null content', () => {
    const only = anthropicToOpenAiResponse({ ...toolUse, content: toolUse.content.filter((b) => b.type === 'tool_use') });
    expect(only.choices[0]?.message.content).toBeNull();
    expect(only.choices[0]?.message).not.toHaveProperty('reasoning_content');
  });
});
