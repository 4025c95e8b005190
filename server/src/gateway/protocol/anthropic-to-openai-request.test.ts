import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import { anthropicToOpenAiRequest } from './anthropic-to-openai-request.js';
import type { AnthropicMessagesRequest } from './anthropic/types.js';
import { ConversionError } from './errors.js';
import type { OpenAiMessage } from './openai/types.js';

const firstTurn = fixtureJson<AnthropicMessagesRequest>('claude-code-first-turn.request.json');
const secondTurn = fixtureJson<AnthropicMessagesRequest>('claude-code-second-turn.request.json');

const base = (messages: AnthropicMessagesRequest['messages'], extra: Partial<AnthropicMessagesRequest> = {}): AnthropicMessagesRequest => ({
  model: 'm',
  max_tokens: 100,
  messages,
  ...extra,
});

describe('anthropicToOpenAiRequest — a Claude Code first turn', () => {
  const { body, warnings } = anthropicToOpenAiRequest(firstTurn, { model: 'qwen3-local' });

  it('joins the system blocks into one system message, first', () => {
    expect(body.messages[0]).toEqual({
      role: 'system',
      content: "You are Claude Code, Anthropic's official CLI for Claude.\n\nYou are an interactive CLI tool that helps users with software engineering tasks.\nWorking directory: /home/dev/app",
    });
  });

  it('keeps both user text blocks apart in one string', () => {
    expect(body.messages[1]).toEqual({
      role: 'user',
      content: "<system-reminder>\nAs you answer the user's questions, you can use the following context.\n</system-reminder>\n\nWhat is the weather in Paris? Use the tool.",
    });
  });

  it('never forwards cache_control, metadata beyond the user id, or thinking as Anthropic fields', () => {
    const text = JSON.stringify(body);
    expect(text).not.toContain('cache_control');
    expect(text).not.toContain('ephemeral');
    expect(body).not.toHaveProperty('metadata');
    expect(body).not.toHaveProperty('thinking');
    expect(body).not.toHaveProperty('system');
    expect(body.user).toBe('user_3f2a_account__session_9c1d');
  });

  it('rewrites the model, asks for usage in the stream and maps max_tokens for a compatible engine', () => {
    expect(body.model).toBe('qwen3-local');
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.max_tokens).toBe(32000);
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(body.temperature).toBe(1);
  });

  it('turns thinking on through the chat template for a compatible engine', () => {
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: true });
  });

  it('maps client tools to functions with their schema and drops server tools with a warning', () => {
    expect(body.tools?.map((t) => t.function.name)).toEqual(['get_weather', 'Bash']);
    expect(body.tools?.[0]).toEqual({
      type: 'function',
      function: { name: 'get_weather', description: 'Current weather for a city.', parameters: firstTurn.tools?.[0]?.input_schema },
    });
    expect(warnings.some((w) => w.includes('web_search'))).toBe(true);
    expect(body.tool_choice).toBe('auto');
  });
});

describe('anthropicToOpenAiRequest — the next turn with tool results', () => {
  const { body } = anthropicToOpenAiRequest(secondTurn);
  const [, user, assistant, tool1, tool2, after] = body.messages as OpenAiMessage[];

  it('keeps the user question', () => {
    expect(user).toEqual({ role: 'user', content: 'What is the weather in Paris? Use the tool.' });
  });

  it('turns tool_use blocks into tool_calls with the same ids and JSON arguments, dropping thinking', () => {
    expect(assistant).toEqual({
      role: 'assistant',
      content: 'Checking.',
      tool_calls: [
        { id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_def', type: 'function', function: { name: 'Bash', arguments: '{"command":"date -u"}' } },
      ],
    });
    expect(JSON.stringify(body)).not.toContain('call get_weather');
  });

  it('answers each call with a tool message, in order, before the user text; errors say so', () => {
    expect(tool1).toEqual({ role: 'tool', tool_call_id: 'call_abc', content: '18°C, light rain' });
    expect(tool2).toEqual({ role: 'tool', tool_call_id: 'call_def', content: 'Error: date: command timed out' });
    expect(after).toEqual({ role: 'user', content: 'Thanks. Summarise in one line.' });
    expect(body.messages).toHaveLength(6);
  });
});

describe('anthropicToOpenAiRequest — content and parameters', () => {
  it('turns base64 images into data URLs and url images into their URL, as content parts', () => {
    const { body } = anthropicToOpenAiRequest(
      base([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          ],
        },
      ]),
    );
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Compare' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
      ],
    });
  });

  it('moves images returned by a tool into the user message after the tool message', () => {
    const { body } = anthropicToOpenAiRequest(
      base([
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: 'screenshot taken' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'BBBB' } },
              ],
            },
          ],
        },
      ]),
    );
    expect(body.messages).toEqual([
      { role: 'tool', tool_call_id: 'toolu_1', content: 'screenshot taken' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,BBBB' } }] },
    ]);
  });

  it('maps tool_choice any/tool/none and disable_parallel_tool_use', () => {
    const tools = [{ name: 't', input_schema: { type: 'object' } }];
    const convert = (tool_choice: AnthropicMessagesRequest['tool_choice']) => anthropicToOpenAiRequest(base([{ role: 'user', content: 'x' }], { tools, tool_choice })).body;
    expect(convert({ type: 'any' }).tool_choice).toBe('required');
    expect(convert({ type: 'none' }).tool_choice).toBe('none');
    expect(convert({ type: 'tool', name: 't' }).tool_choice).toEqual({ type: 'function', function: { name: 't' } });
    const noParallel = convert({ type: 'auto', disable_parallel_tool_use: true });
    expect(noParallel.tool_choice).toBe('auto');
    expect(noParallel.parallel_tool_calls).toBe(false);
  });

  it('sends no tool_choice when no tool is left to choose (both APIs refuse it)', () => {
    const serverToolOnly = [{ type: 'web_search_20250305', name: 'web_search', input_schema: {} }];
    const { body } = anthropicToOpenAiRequest(base([{ role: 'user', content: 'x' }], { tools: serverToolOnly, tool_choice: { type: 'none' } }));
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('tools');
  });

  it('copies stop sequences, top_p and top_k for a compatible engine', () => {
    const { body } = anthropicToOpenAiRequest(base([{ role: 'user', content: 'x' }], { stop_sequences: ['END', '###'], top_p: 0.9, top_k: 40, temperature: 0.2 }));
    expect(body).toMatchObject({ stop: ['END', '###'], top_p: 0.9, top_k: 40, temperature: 0.2 });
  });

  it("speaks OpenAI's own dialect: max_completion_tokens, reasoning_effort, no top_k, at most four stops", () => {
    const { body, warnings } = anthropicToOpenAiRequest(
      base([{ role: 'user', content: 'x' }], { top_k: 5, stop_sequences: ['a', 'b', 'c', 'd', 'e'], thinking: { type: 'enabled', budget_tokens: 8000 } }),
      { dialect: 'openai' },
    );
    expect(body.max_completion_tokens).toBe(100);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('top_k');
    expect(body).not.toHaveProperty('chat_template_kwargs');
    expect(body.reasoning_effort).toBe('medium');
    expect(body.stop).toEqual(['a', 'b', 'c', 'd']);
    expect(warnings).toHaveLength(2);
  });

  it('buckets thinking budgets into reasoning_effort levels and leaves disabled thinking out', () => {
    const effort = (thinking: AnthropicMessagesRequest['thinking']) =>
      anthropicToOpenAiRequest(base([{ role: 'user', content: 'x' }], { thinking }), { dialect: 'openai' }).body.reasoning_effort;
    expect(effort({ type: 'enabled', budget_tokens: 1024 })).toBe('low');
    expect(effort({ type: 'enabled', budget_tokens: 16384 })).toBe('high');
    expect(effort({ type: 'disabled' })).toBeUndefined();
    const compat = anthropicToOpenAiRequest(base([{ role: 'user', content: 'x' }], { thinking: { type: 'disabled' } })).body;
    expect(compat.chat_template_kwargs).toEqual({ enable_thinking: false });
  });

  it('keeps a string system prompt and string contents as they are', () => {
    const { body } = anthropicToOpenAiRequest(base([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], { system: 'Be brief.' }));
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
  });

  it('refuses a PDF for a compatible engine with a 400 naming the block', () => {
    const request = base([{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } }] }]);
    expect(() => anthropicToOpenAiRequest(request)).toThrow(ConversionError);
    try {
      anthropicToOpenAiRequest(request);
    } catch (err) {
      expect((err as ConversionError).toFailure()).toMatchObject({ status: 400, source: 'gateway', param: 'messages[0].content[0].source' });
    }
  });

  it('sends a PDF to OpenAI itself as a file part, and a text document as text anywhere', () => {
    const pdf = base([{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } }] }]);
    expect(anthropicToOpenAiRequest(pdf, { dialect: 'openai' }).body.messages[0]).toEqual({
      role: 'user',
      content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE' } }],
    });
    const plain = base([{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } }] }]);
    expect(anthropicToOpenAiRequest(plain).body.messages[0]).toEqual({ role: 'user', content: 'notes' });
  });

  it('does not mutate its input', () => {
    const before = JSON.stringify(secondTurn);
    anthropicToOpenAiRequest(secondTurn, { model: 'x' });
    expect(JSON.stringify(secondTurn)).toBe(before);
  });
});
