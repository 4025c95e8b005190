import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import { ConversionError } from './errors.js';
import type { OpenAiChatRequest } from './openai/types.js';
import { DEFAULT_ANTHROPIC_MAX_TOKENS, openAiToAnthropicRequest } from './openai-to-anthropic-request.js';

const imagesTools = fixtureJson<OpenAiChatRequest>('openai-images-tools.request.json');

describe('openAiToAnthropicRequest — images, tools and tool results', () => {
  const { body } = openAiToAnthropicRequest(imagesTools, { model: 'claude-sonnet-4-5-20250929' });

  it('moves system and developer messages into the system blocks', () => {
    expect(body.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Answer in English.' },
    ]);
    expect(body.messages.every((m) => m.role === 'user' || m.role === 'assistant')).toBe(true);
  });

  it('turns a data URL into a base64 image block and an http URL into a url source', () => {
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these pictures, and what is the weather there?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/paris.jpg' } },
      ],
    });
  });

  it('turns tool_calls into tool_use blocks with parsed input and the same ids', () => {
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Oslo' } },
      ],
    });
  });

  it('gathers consecutive tool messages and the next user message into one user turn, results first', () => {
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
        { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '-3°C' }] },
        { type: 'text', text: 'And tomorrow?' },
      ],
    });
    expect(body.messages).toHaveLength(3);
  });

  it('maps tools (a missing schema becomes an empty object schema) and tool_choice with parallel off', () => {
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Weather for a city.', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it('clamps temperature to 0–1, drops whitespace-only stops, maps user and stream, and fills max_tokens', () => {
    expect(body.temperature).toBe(1);
    expect(body.stop_sequences).toEqual(['\n\nUser:']);
    expect(body.metadata).toEqual({ user_id: 'alice' });
    expect(body.stream).toBe(true);
    expect(body.max_tokens).toBe(DEFAULT_ANTHROPIC_MAX_TOKENS);
    expect(body.model).toBe('claude-sonnet-4-5-20250929');
    expect(body).not.toHaveProperty('stream_options');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });
});

describe('openAiToAnthropicRequest — parameters', () => {
  const base = (extra: Partial<OpenAiChatRequest> = {}): OpenAiChatRequest => ({ model: 'c', messages: [{ role: 'user', content: 'hi' }], ...extra });

  it('prefers max_completion_tokens over max_tokens and honours a configured default', () => {
    expect(openAiToAnthropicRequest(base({ max_tokens: 10, max_completion_tokens: 20 })).body.max_tokens).toBe(20);
    expect(openAiToAnthropicRequest(base(), { defaultMaxTokens: 999 }).body.max_tokens).toBe(999);
  });

  it('turns reasoning_effort into a thinking budget below max_tokens and drops temperature while thinking', () => {
    const { body, warnings } = openAiToAnthropicRequest(base({ reasoning_effort: 'high', max_tokens: 8000, temperature: 0.3 }));
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 7999 });
    expect(body).not.toHaveProperty('temperature');
    expect(warnings).toHaveLength(1);
    expect(openAiToAnthropicRequest(base({ reasoning_effort: 'low', max_tokens: 500 })).body).not.toHaveProperty('thinking');
  });

  it('drops empty assistant text and skips empty turns (Anthropic refuses empty text blocks)', () => {
    const { body } = openAiToAnthropicRequest(base({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: '' }, { role: 'user', content: 'again' }] }));
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: 'again' }] }]);
  });

  it('keeps malformed tool arguments under _raw with a warning instead of failing the conversation', () => {
    const { body, warnings } = openAiToAnthropicRequest(
      base({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] }),
    );
    expect(body.messages[1]?.content).toEqual([{ type: 'tool_use', id: 'c', name: 'f', input: { _raw: '{oops' } }]);
    expect(warnings[0]).toContain('messages[1].tool_calls[0]');
  });

  it('refuses n > 1 and audio parts with a 400 naming the field', () => {
    expect(() => openAiToAnthropicRequest(base({ n: 2 }))).toThrow(ConversionError);
    try {
      openAiToAnthropicRequest(base({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }));
      expect.unreachable();
    } catch (err) {
      expect((err as ConversionError).param).toBe('messages[0].content[0].type');
    }
  });

  it('maps tool_choice none/auto/function and parallel_tool_calls:false alone', () => {
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    const choiceOf = (extra: Partial<OpenAiChatRequest>) => openAiToAnthropicRequest(base({ tools, ...extra })).body.tool_choice;
    expect(choiceOf({ tool_choice: 'none' })).toEqual({ type: 'none' });
    expect(choiceOf({ tool_choice: 'auto' })).toEqual({ type: 'auto' });
    expect(choiceOf({ tool_choice: { type: 'function', function: { name: 'f' } } })).toEqual({ type: 'tool', name: 'f' });
    expect(choiceOf({ parallel_tool_calls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(choiceOf({})).toBeUndefined();
  });

  it('turns a base64 PDF file part into a document block', () => {
    const { body } = openAiToAnthropicRequest(base({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE' } }] }] }));
    expect(body.messages[0]?.content).toEqual([{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } }]);
  });
});
