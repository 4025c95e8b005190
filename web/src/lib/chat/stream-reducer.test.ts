import { describe, expect, it } from 'vitest';
import { SseDataSplitter } from './sse-lines.js';
import { answerStats, finishAnswer, initialAnswer, mergeToolCallDelta, reasoningMs, reduceFrame, type AnswerState } from './stream-reducer.js';
import { initialThinkTagState, splitThinkTags } from './think-tags.js';

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }], ...extra });

/** Feeds frames at t = 100, 200, 300 … and finishes after the last. */
function run(frames: string[]): AnswerState {
  let s = initialAnswer(0);
  frames.forEach((f, i) => {
    s = reduceFrame(s, f, (i + 1) * 100);
  });
  return finishAnswer(s, (frames.length + 1) * 100);
}

const contentChunks = (...parts: string[]) => parts.map((content) => chunk({ content }));

describe('think tags in content', () => {
  it('splits a block cut at every possible place', () => {
    const text = 'x<think>plan it</think>The answer.';
    for (let cut = 1; cut < text.length; cut++) {
      for (let cut2 = cut + 1; cut2 < text.length; cut2++) {
        const s = run(contentChunks(text.slice(0, cut), text.slice(cut, cut2), text.slice(cut2)));
        expect({ cut, cut2, reasoning: s.reasoning, content: s.content }).toEqual({ cut, cut2, reasoning: 'plan it', content: 'xThe answer.' });
      }
    }
  });

  it('handles one character per chunk', () => {
    const s = run(contentChunks(...'<think>a < b</think>\n\nYes <b>'.split('')));
    expect(s.reasoning).toBe('a < b');
    expect(s.content).toBe('Yes <b>');
  });

  it('keeps an unterminated block as reasoning, with its duration up to the end', () => {
    const s = run(contentChunks('<think>still ', 'thinking'));
    expect(s.reasoning).toBe('still thinking');
    expect(s.content).toBe('');
    expect(reasoningMs(s, 9999)).toBe(200);
  });

  it('treats text before a lone </think> as reasoning (the template opened the block)', () => {
    const s = run(contentChunks('I should add', ' them.</thi', 'nk>\n\n4'));
    expect(s.reasoning).toBe('I should add them.');
    expect(s.content).toBe('4');
  });

  it('releases held text that turned out not to be a tag, and flushes it at the end', () => {
    expect(run(contentChunks('a <thin', 'g> b')).content).toBe('a <thing> b');
    expect(run(contentChunks('ends with <thi')).content).toBe('ends with <thi');
    const { out } = splitThinkTags(initialThinkTagState(), 'x <', false);
    expect(out.answer).toBe('x ');
  });
});

describe('reasoning fields', () => {
  it('reads reasoning_content and reasoning, and times the thinking until the answer starts', () => {
    const s = run([chunk({ role: 'assistant' }), chunk({ reasoning_content: 'Let me ' }), chunk({ reasoning: 'see.' }), chunk({ content: 'Hi' }), chunk({ content: '!' })]);
    expect(s.reasoning).toBe('Let me see.');
    expect(s.content).toBe('Hi!');
    expect(s.reasoningStartedAt).toBe(200);
    expect(s.reasoningEndedAt).toBe(400);
    expect(reasoningMs(s, 0)).toBe(200);
  });
});

describe('tool calls', () => {
  it('joins fragments by index when later fragments have no id', () => {
    const s = run([
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'calculator', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"expr' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'weather', arguments: '{"location":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ession":"2+2"}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '"Oslo"}' } }] }),
      JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
    ]);
    expect(s.toolCalls).toEqual([
      { index: 0, id: 'call_a', name: 'calculator', arguments: '{"expression":"2+2"}' },
      { index: 1, id: 'call_b', name: 'weather', arguments: '{"location":"Oslo"}' },
    ]);
    expect(s.finishReason).toBe('tool_calls');
  });

  it('accepts calls with no id and no index at all, and a new id reusing index 0', () => {
    let calls = mergeToolCallDelta([], { function: { name: 'calculator', arguments: '{"a"' } });
    calls = mergeToolCallDelta(calls, { function: { arguments: ':1}' } });
    expect(calls).toEqual([{ index: 0, id: '', name: 'calculator', arguments: '{"a":1}' }]);
    calls = mergeToolCallDelta([{ index: 0, id: 'x', name: 'a', arguments: '{}' }], { index: 0, id: 'y', function: { name: 'b', arguments: '{}' } });
    expect(calls.map((c) => c.name)).toEqual(['a', 'b']);
    expect(mergeToolCallDelta([], { index: 0, id: 'z', function: { name: 'w', arguments: { location: 'Rome' } } })[0]?.arguments).toBe('{"location":"Rome"}');
  });
});

describe('malformed and error frames', () => {
  it('skips frames that are not JSON objects and keeps going', () => {
    const s = run([chunk({ content: 'a' }), '{not json', '42', 'null', '[DONE]', chunk({ content: 'b' }), JSON.stringify({ choices: 'nope' })]);
    expect(s.content).toBe('ab');
    expect(s.malformedFrames).toBe(3);
    expect(s.error).toBeNull();
  });

  it('reports an error frame in the middle of a stream', () => {
    const s = run([chunk({ content: 'partial' }), JSON.stringify({ error: { message: 'upstream went away', type: 'server_error' } })]);
    expect(s.error).toBe('upstream went away');
    expect(s.content).toBe('partial');
  });
});

describe('speed', () => {
  it('uses usage when sent, otherwise counts deltas', () => {
    const withUsage = run([chunk({ content: 'a' }), chunk({ content: 'b' }), JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 20 } })]);
    // first token at 100, end at 400 → 20 tokens in 0.3 s
    expect(answerStats(withUsage, 0)).toMatchObject({ ttftMs: 100, tokens: 20, estimated: false, durationMs: 400 });
    expect(answerStats(withUsage, 0).tokensPerSecond).toBeCloseTo(66.67, 1);
    const without = run(contentChunks('a', 'b', 'c'));
    expect(answerStats(without, 0)).toMatchObject({ tokens: 3, estimated: true });
    expect(answerStats(initialAnswer(0), 50)).toMatchObject({ ttftMs: null, tokens: null, tokensPerSecond: null });
  });
});

describe('SSE splitting', () => {
  it('joins payloads cut anywhere, drops comments and event names, handles CRLF', () => {
    const wire = ': ping\n\nevent: x\ndata: {"a":1}\r\n\r\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < wire.length; cut++) {
      const sp = new SseDataSplitter();
      const out = [...sp.push(wire.slice(0, cut)), ...sp.push(wire.slice(cut)), ...sp.end()];
      expect(out).toEqual(['{"a":1}', 'line1\nline2', '[DONE]']);
    }
    const sp = new SseDataSplitter();
    expect([...sp.push('data: tail'), ...sp.end()]).toEqual(['tail']);
  });
});
