import { describe, expect, it } from 'vitest';
import { fixtureSse } from './__fixtures__/load.js';
import type { AnthropicStreamEvent } from './anthropic/types.js';
import type { OpenAiChatChunk } from './openai/types.js';
import { openAiToAnthropicStream, type OpenAiToAnthropicStreamOptions } from './openai-to-anthropic-stream.js';

function translate(chunks: OpenAiChatChunk[], options: OpenAiToAnthropicStreamOptions = {}): AnthropicStreamEvent[] {
  const translator = openAiToAnthropicStream({ newToolUseId: () => 'toolu_new', ...options });
  return [...chunks.flatMap((c) => translator.push(c)), ...translator.end()];
}

const chunk = (delta: OpenAiChatChunk['choices'][number]['delta'], finish: OpenAiChatChunk['choices'][number]['finish_reason'] = null): OpenAiChatChunk => ({
  id: 'chatcmpl-x',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** Only what tells the story: event types with the index, delta text or block type. */
function outline(events: AnthropicStreamEvent[]): string[] {
  return events.map((e) => {
    if (e.type === 'content_block_start') return `start ${e.index} ${e.content_block.type}`;
    if (e.type === 'content_block_stop') return `stop ${e.index}`;
    if (e.type === 'content_block_delta') {
      const d = e.delta;
      const value = d.type === 'text_delta' ? d.text : d.type === 'thinking_delta' ? d.thinking : d.type === 'input_json_delta' ? d.partial_json : d.signature;
      return `${d.type} ${e.index} ${value}`;
    }
    return e.type;
  });
}

describe('openAiToAnthropicStream — thinking, then text, then a tool call streamed in fragments', () => {
  const events = translate(fixtureSse<OpenAiChatChunk>('openai-thinking-text-tool.chunks.txt'), { model: 'claude-sonnet-4-5', inputTokens: 18 });

  it('emits the blocks in order, each opened, filled and closed, with no delta lost at a switch', () => {
    expect(outline(events)).toEqual([
      'message_start',
      'start 0 thinking',
      'thinking_delta 0 The user wants',
      'thinking_delta 0  the weather.',
      'stop 0',
      'start 1 text',
      'text_delta 1 Check',
      'text_delta 1 ing.',
      'stop 1',
      'start 2 tool_use',
      'input_json_delta 2 {"city":"Pa',
      'input_json_delta 2 ris"}',
      'stop 2',
      'message_delta',
      'message_stop',
    ]);
  });

  it('opens the message with the model the client asked for, an msg_ id and a usage estimate', () => {
    const start = events[0];
    expect(start?.type).toBe('message_start');
    if (start?.type !== 'message_start') return;
    expect(start.message).toMatchObject({ id: 'msg_chatcmpl-1', model: 'claude-sonnet-4-5', role: 'assistant', content: [], stop_reason: null });
    expect(start.message.usage).toEqual({ input_tokens: 18, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('keeps the tool id and name, with an empty input to fill', () => {
    const toolStart = events.find((e) => e.type === 'content_block_start' && e.index === 2);
    expect(toolStart).toEqual({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: {} } });
  });

  it('holds the stop reason until the usage chunk and reports the real counts', () => {
    expect(events.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 20, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('the concatenated fragments parse as the tool input', () => {
    const json = events.flatMap((e) => (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta' ? [e.delta.partial_json] : [])).join('');
    expect(JSON.parse(json)).toEqual({ city: 'Paris' });
  });
});

describe('openAiToAnthropicStream — edge shapes', () => {
  it('streams two tool calls by index when later fragments carry no id', () => {
    const events = translate(fixtureSse<OpenAiChatChunk>('openai-two-tools-no-ids.chunks.txt'));
    expect(outline(events)).toEqual([
      'message_start',
      'start 0 tool_use',
      'input_json_delta 0 {"ci',
      'input_json_delta 0 ty":"Paris"}',
      'stop 0',
      'start 1 tool_use',
      'input_json_delta 1 {"city":',
      'input_json_delta 1 "Oslo"}',
      'stop 1',
      'message_delta',
      'message_stop',
    ]);
    const starts = events.flatMap((e) => (e.type === 'content_block_start' ? [e.content_block] : []));
    expect(starts.map((b) => (b.type === 'tool_use' ? b.id : ''))).toEqual(['call_1', 'call_2']);
  });

  it('closes at once when usage rides on the finish chunk (mlx-openai-server), counting cached tokens apart', () => {
    const translator = openAiToAnthropicStream();
    const [first, last] = fixtureSse<OpenAiChatChunk>('openai-usage-in-finish.chunks.txt');
    translator.push(first as OpenAiChatChunk);
    const closing = translator.push(last as OpenAiChatChunk);
    expect(outline(closing)).toEqual(['text_delta 0 lo', 'stop 0', 'message_delta', 'message_stop']);
    expect(closing[2]).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 5, cache_read_input_tokens: 4, output_tokens: 2 } });
    expect(translator.end()).toEqual([]);
  });

  it('ignores usage-only and empty-choice chunks until the end, then closes with end_turn', () => {
    const events = translate([
      chunk({ role: 'assistant', content: 'Hi' }),
      { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [] },
      chunk({}, 'stop'),
    ]);
    expect(outline(events)).toEqual(['message_start', 'start 0 text', 'text_delta 0 Hi', 'stop 0', 'message_delta', 'message_stop']);
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 0 } });
  });

  it('reads mlx_lm’s `reasoning` field as thinking', () => {
    const events = translate([chunk({ reasoning: 'hmm' }), chunk({ content: 'ok' }, 'stop')]);
    expect(outline(events).slice(1, 6)).toEqual(['start 0 thinking', 'thinking_delta 0 hmm', 'stop 0', 'start 1 text', 'text_delta 1 ok']);
  });

  it('waits for a tool name before opening the block, then sends the held arguments', () => {
    const events = translate([
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: ':1}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(outline(events).slice(1, 4)).toEqual(['start 0 tool_use', 'input_json_delta 0 {"a":1}', 'stop 0']);
    expect(events[1]).toMatchObject({ content_block: { id: 'toolu_new', name: 'f' } });
  });

  it('treats a new id at a reused index as a new call (servers that number every call 0)', () => {
    const events = translate([
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'b', function: { name: 'g', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(outline(events).filter((l) => l.startsWith('start'))).toEqual(['start 0 tool_use', 'start 1 tool_use']);
  });

  it('maps length, content_filter and a hit stop sequence', () => {
    const stopOf = (finish: OpenAiChatChunk['choices'][number]['finish_reason'], extra: Partial<OpenAiChatChunk['choices'][number]> = {}, options: OpenAiToAnthropicStreamOptions = {}) => {
      const last = chunk({}, finish);
      Object.assign(last.choices[0] as object, extra);
      const delta = translate([chunk({ content: 'x' }), last], options).find((e) => e.type === 'message_delta');
      return delta?.type === 'message_delta' ? delta.delta : null;
    };
    expect(stopOf('length')).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(stopOf('content_filter')).toEqual({ stop_reason: 'refusal', stop_sequence: null });
    expect(stopOf('stop', { stop_reason: 'END' }, { stopSequences: ['END'] })).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('splits a leading <think> block out of the content when asked, across fragment boundaries', () => {
    const events = translate([chunk({ content: '<thi' }), chunk({ content: 'nk>plan</th' }), chunk({ content: 'ink>\n\nAnswer' }), chunk({}, 'stop')], { thinkTags: true });
    expect(outline(events).slice(1, -2)).toEqual(['start 0 thinking', 'thinking_delta 0 plan', 'stop 0', 'start 1 text', 'text_delta 1 Answer', 'stop 1']);
  });

  it('leaves <think> in the text when not asked', () => {
    const events = translate([chunk({ content: '<think>plan</think>Answer' }), chunk({}, 'stop')]);
    expect(outline(events)[2]).toBe('text_delta 0 <think>plan</think>Answer');
  });

  it('turns an upstream error payload into an Anthropic error event and stops', () => {
    const translator = openAiToAnthropicStream();
    translator.push(chunk({ content: 'partial' }));
    const out = translator.push({ error: { message: 'engine crashed', type: 'server_error', param: null, code: null } });
    expect(out).toEqual([{ type: 'error', error: { type: 'api_error', message: 'engine crashed', source: 'upstream' } }]);
    expect(translator.end()).toEqual([]);
  });

  it('still produces a complete message when the upstream sent nothing', () => {
    expect(outline(translate([]))).toEqual(['message_start', 'message_delta', 'message_stop']);
  });
});
