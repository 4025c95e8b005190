// Whatever the upstream's chunking, the translated Anthropic stream obeys the event order rules.
import { describe, expect, it } from 'vitest';
import { anthropicGrammarError } from './__fixtures__/grammar.js';
import { fixtureSse } from './__fixtures__/load.js';
import type { AnthropicStreamEvent } from './anthropic/types.js';
import type { OpenAiChatChunk, OpenAiChunkDelta } from './openai/types.js';
import { openAiToAnthropicStream } from './openai-to-anthropic-stream.js';

const RECORDINGS = ['openai-thinking-text-tool.chunks.txt', 'openai-two-tools-no-ids.chunks.txt', 'openai-usage-in-finish.chunks.txt'];

/** What a client ends up with: each block's type and its accumulated text or JSON. */
function blocks(events: AnthropicStreamEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.type === 'content_block_start') out[e.index] = `${e.content_block.type}:`;
    if (e.type === 'content_block_delta') {
      const d = e.delta;
      out[e.index] += d.type === 'text_delta' ? d.text : d.type === 'thinking_delta' ? d.thinking : d.type === 'input_json_delta' ? d.partial_json : '';
    }
  }
  return out;
}

function run(chunks: OpenAiChatChunk[], thinkTags = false): AnthropicStreamEvent[] {
  const translator = openAiToAnthropicStream({ thinkTags });
  return [...chunks.flatMap((c) => translator.push(c)), ...translator.end()];
}

/** The same stream with every text and argument fragment cut into single characters. */
function oneCharacterAtATime(chunks: OpenAiChatChunk[]): OpenAiChatChunk[] {
  return chunks.flatMap((chunk) => {
    const choice = chunk.choices[0];
    if (choice === undefined) return [chunk];
    const { content, reasoning_content: reasoning, tool_calls: calls, ...rest } = choice.delta;
    const pieces: OpenAiChunkDelta[] = [];
    for (const ch of reasoning ?? '') pieces.push({ reasoning_content: ch });
    for (const ch of content ?? '') pieces.push({ content: ch });
    for (const call of calls ?? []) {
      const args = call.function?.arguments ?? '';
      pieces.push({ tool_calls: [{ ...call, function: { ...call.function, arguments: args.slice(0, 1) } }] });
      for (const ch of args.slice(1)) pieces.push({ tool_calls: [{ index: call.index, function: { arguments: ch } }] });
    }
    const split = pieces.map((delta) => ({ ...chunk, usage: null, choices: [{ ...choice, delta, finish_reason: null }] }));
    return [...split, { ...chunk, choices: [{ ...choice, delta: rest }] }];
  });
}

describe('translated streams obey the Anthropic event order', () => {
  for (const name of RECORDINGS) {
    it(`${name} as recorded and one character at a time`, () => {
      const chunks = fixtureSse<OpenAiChatChunk>(name);
      expect(anthropicGrammarError(run(chunks))).toBeNull();
      const fine = run(oneCharacterAtATime(chunks));
      expect(anthropicGrammarError(fine)).toBeNull();
      expect(blocks(fine)).toEqual(blocks(run(chunks)));
      expect(blocks(fine).length).toBeGreaterThan(0);
    });
  }

  it('a chunk carrying reasoning and content at once yields both, in order, in two blocks', () => {
    const chunk: OpenAiChatChunk = {
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { reasoning_content: 'think', content: 'say' }, finish_reason: 'stop' }],
    };
    const events = run([chunk]);
    expect(anthropicGrammarError(events)).toBeNull();
    const deltas = events.flatMap((e) => (e.type === 'content_block_delta' ? [e.delta] : []));
    expect(deltas).toEqual([
      { type: 'thinking_delta', thinking: 'think' },
      { type: 'text_delta', text: 'say' },
    ]);
  });

  it('think tags split one character at a time still make a well-formed stream', () => {
    const text = '<think>a plan</think>\n\nthe answer';
    const chunks: OpenAiChatChunk[] = [...text].map((ch) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: ch }, finish_reason: null }] }));
    const events = run(chunks, true);
    expect(anthropicGrammarError(events)).toBeNull();
    const text_ = events.flatMap((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : [])).join('');
    expect(text_).toBe('the answer');
  });

  it('the checker itself rejects a delta for a block that never started', () => {
    const broken: AnthropicStreamEvent[] = [
      { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } },
      { type: 'message_stop' },
    ];
    expect(anthropicGrammarError(broken)).toBe('delta for block 0, which is not open');
  });
});
