import { describe, expect, it } from 'vitest';
import { fixtureSse } from './__fixtures__/load.js';
import { anthropicToOpenAiStream, type AnthropicToOpenAiStreamOptions } from './anthropic-to-openai-stream.js';
import type { AnthropicStreamEvent } from './anthropic/types.js';
import type { OpenAiChatChunk, OpenAiErrorBody } from './openai/types.js';

const recorded = fixtureSse<AnthropicStreamEvent>('anthropic-thinking-text-tool.chunks.txt');

function translate(events: AnthropicStreamEvent[], options: AnthropicToOpenAiStreamOptions = {}): (OpenAiChatChunk | OpenAiErrorBody)[] {
  const translator = anthropicToOpenAiStream({ created: 1700, ...options });
  return [...events.flatMap((e) => translator.push(e)), ...translator.end()];
}

const chunksOnly = (out: (OpenAiChatChunk | OpenAiErrorBody)[]): OpenAiChatChunk[] => out.filter((o): o is OpenAiChatChunk => !('error' in o));

describe('anthropicToOpenAiStream — thinking, text and a tool call', () => {
  const out = chunksOnly(translate(recorded, { includeUsage: true, model: 'my-claude' }));
  const deltas = out.flatMap((c) => c.choices.map((ch) => ch.delta));

  it('opens with the assistant role and carries id, model and created on every chunk', () => {
    expect(deltas[0]).toEqual({ role: 'assistant', content: '' });
    expect(out.every((c) => c.id === 'msg_01' && c.model === 'my-claude' && c.created === 1700 && c.object === 'chat.completion.chunk')).toBe(true);
  });

  it('sends thinking as reasoning_content and text as content, dropping the signature', () => {
    expect(deltas.filter((d) => d.reasoning_content !== undefined).map((d) => d.reasoning_content)).toEqual(['Let me think']);
    expect(deltas.filter((d) => d.content !== undefined && d.content !== '').map((d) => d.content)).toEqual(['Checking.']);
    expect(JSON.stringify(out)).not.toContain('EqQB');
  });

  it('streams the tool call with index, id, type and name first, then argument fragments by index only', () => {
    const calls = deltas.flatMap((d) => d.tool_calls ?? []);
    expect(calls).toEqual([
      { index: 0, id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city": "Pa' } },
      { index: 0, function: { arguments: 'ris"}' } },
    ]);
  });

  it('finishes with tool_calls, then a usage chunk with no choices', () => {
    const finish = out.find((c) => c.choices[0]?.finish_reason != null);
    expect(finish?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(out.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 25, completion_tokens: 42, total_tokens: 67, prompt_tokens_details: { cached_tokens: 5 } } });
    expect(out.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });
});

describe('anthropicToOpenAiStream — edges', () => {
  it('sends no usage chunk and no usage field unless asked', () => {
    const out = chunksOnly(translate(recorded));
    expect(out.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true);
  });

  it('counts tool-call indexes apart from block indexes', () => {
    const events: AnthropicStreamEvent[] = [
      recorded[0] as AnthropicStreamEvent,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'a', name: 'f', input: {} } },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'b', name: 'g', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } },
    ];
    const calls = chunksOnly(translate(events)).flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(calls.map((c) => c.index)).toEqual([0, 1, 1]);
  });

  it('turns an error event into an OpenAI error payload and stops there', () => {
    const translator = anthropicToOpenAiStream();
    translator.push(recorded[0] as AnthropicStreamEvent);
    expect(translator.push({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toEqual([
      { error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded_error', source: 'upstream' } },
    ]);
    expect(translator.end()).toEqual([]);
  });

  it('closes a stream that ended without message_delta with a stop finish', () => {
    const out = chunksOnly(translate([recorded[0] as AnthropicStreamEvent, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } }]));
    expect(out.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('ignores pings', () => {
    expect(anthropicToOpenAiStream().push({ type: 'ping' })).toEqual([]);
  });
});
