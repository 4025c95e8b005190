import { describe, expect, it } from 'vitest';
import { parseChatRequest, parseCompletionRequest, parseEmbeddingRequest } from './requests.js';

const user = { role: 'user', content: 'hi' };

describe('parseChatRequest', () => {
  it('normalises messages, sampling and tools', () => {
    const r = parseChatRequest({
      model: 'm',
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '42' },
      ],
      max_tokens: 10,
      max_completion_tokens: 5,
      temperature: 0,
      top_p: 0.5,
      seed: 7,
      stop: 'END',
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      unknown_field: 'ignored',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ model: 'm', stream: true, includeUsage: true });
    expect(r.value.input.params).toEqual({
      maxTokens: 5, temperature: 0, topP: 0.5, seed: 7, stop: ['END'], presencePenalty: undefined, frequencyPenalty: undefined, json: undefined,
    });
    expect(r.value.input.messages).toEqual([
      { role: 'system', text: 'be brief' },
      { role: 'user', text: 'a\nb' },
      { role: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{"x":1}' }] },
      { role: 'tool', toolCallId: 'c1', text: '42' },
    ]);
    expect(r.value.input.tools).toEqual([{ name: 'f', description: undefined, parameters: { type: 'object' } }]);
  });

  it('drops tools for tool_choice "none" and narrows them for a named choice', () => {
    const tools = [
      { type: 'function', function: { name: 'a' } },
      { type: 'function', function: { name: 'b' } },
    ];
    const none = parseChatRequest({ messages: [user], tools, tool_choice: 'none' });
    expect(none.ok && none.value.input.tools).toEqual([]);
    const named = parseChatRequest({ messages: [user], tools, tool_choice: { type: 'function', function: { name: 'b' } } });
    expect(named.ok && named.value.input.tools.map((t) => t.name)).toEqual(['b']);
    const missing = parseChatRequest({ messages: [user], tools, tool_choice: { type: 'function', function: { name: 'z' } } });
    expect(!missing.ok && missing.error.param).toBe('tool_choice');
  });

  it('reads penalties and response_format', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    const r = parseChatRequest({
      messages: [user], presence_penalty: 0.5, frequency_penalty: -1,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
    });
    expect(r.ok && r.value.input.params).toMatchObject({ presencePenalty: 0.5, frequencyPenalty: -1, json: schema });
    const any = parseChatRequest({ messages: [user], response_format: { type: 'json_object' } });
    expect(any.ok && any.value.input.params.json).toBe('any');
    const text = parseChatRequest({ messages: [user], response_format: { type: 'text' } });
    expect(text.ok && text.value.input.params.json).toBeUndefined();
  });

  it('refuses response_format together with tools', () => {
    const r = parseChatRequest({
      messages: [user], response_format: { type: 'json_object' }, tools: [{ type: 'function', function: { name: 'f' } }],
    });
    expect(!r.ok && r.error.param).toBe('response_format');
  });

  it.each<[string, unknown, string | null]>([
    ['missing messages', { model: 'm' }, 'messages'],
    ['empty messages', { messages: [] }, 'messages'],
    ['messages not an array', { messages: 'hi' }, 'messages'],
    ['unknown role', { messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role'],
    ['content a number', { messages: [{ role: 'user', content: 5 }] }, 'messages.0.content'],
    ['image parts', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }, 'messages.0.content.0'],
    ['tool message without id', { messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.tool_call_id'],
    ['temperature a string', { messages: [user], temperature: 'hot' }, 'temperature'],
    ['temperature out of range', { messages: [user], temperature: 3 }, 'temperature'],
    ['max_tokens zero', { messages: [user], max_tokens: 0 }, 'max_tokens'],
    ['max_tokens fractional', { messages: [user], max_tokens: 1.5 }, 'max_tokens'],
    ['n above 1', { messages: [user], n: 2 }, 'n'],
    ['stream not a boolean', { messages: [user], stream: 'yes' }, 'stream'],
    ['stop not strings', { messages: [user], stop: [1] }, 'stop'],
    ['unknown response_format', { messages: [user], response_format: { type: 'yaml' } }, 'response_format.type'],
    ['presence_penalty out of range', { messages: [user], presence_penalty: 5 }, 'presence_penalty'],
    ['bad tool name', { messages: [user], tools: [{ type: 'function', function: { name: 'has space' } }] }, 'tools.0.function.name'],
  ])('refuses %s with a 400 naming the field', (_name, body, param) => {
    const r = parseChatRequest(body);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.status).toBe(400);
    expect(r.error.type).toBe('invalid_request_error');
    expect(r.error.param).toBe(param);
    expect(r.error.message).toContain(param ?? 'body');
  });
});

describe('parseCompletionRequest', () => {
  it('takes a prompt string or a one-element array', () => {
    const a = parseCompletionRequest({ prompt: 'x', stop: ['a', ''] });
    expect(a.ok && a.value.input).toMatchObject({ prompt: 'x', params: { maxTokens: undefined, temperature: undefined, stop: ['a'], json: undefined } });
    const b = parseCompletionRequest({ prompt: ['y'] });
    expect(b.ok && b.value.input.prompt).toBe('y');
  });

  it('refuses a missing prompt or several prompts', () => {
    const missing = parseCompletionRequest({});
    expect(!missing.ok && missing.error.param).toBe('prompt');
    const many = parseCompletionRequest({ prompt: ['a', 'b'] });
    expect(many.ok).toBe(false);
  });
});

describe('parseEmbeddingRequest', () => {
  it('takes one input or many, float or base64', () => {
    const one = parseEmbeddingRequest({ input: 'a' });
    expect(one.ok && one.value).toEqual({ model: undefined, inputs: ['a'], base64: false });
    const many = parseEmbeddingRequest({ input: ['a', 'b'], encoding_format: 'base64', model: 'm' });
    expect(many.ok && many.value).toEqual({ model: 'm', inputs: ['a', 'b'], base64: true });
  });

  it('refuses token arrays and unknown encodings', () => {
    expect(parseEmbeddingRequest({ input: [[1, 2]] }).ok).toBe(false);
    expect(parseEmbeddingRequest({ input: 'a', encoding_format: 'hex' }).ok).toBe(false);
    expect(parseEmbeddingRequest({ input: '' }).ok).toBe(false);
    expect(parseEmbeddingRequest({ input: ['a', ''] }).ok).toBe(false);
    expect(parseEmbeddingRequest({ input: [] }).ok).toBe(false);
  });
});
