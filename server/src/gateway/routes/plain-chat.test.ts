import { describe, expect, it } from 'vitest';
import { checkOpenAiChatRequest } from '../protocol/index.js';
import { isPlainChat } from './plain-chat.js';

/** A small deterministic generator (the same bodies on every run). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const VALUES: unknown[] = [undefined, null, 0, 1, -1, 1.5, 2.5, 1e300, Number.MAX_SAFE_INTEGER, '', 'x', 'user', true, false, [], [1], {}, { a: 1 }];
const ROLES: unknown[] = ['system', 'developer', 'user', 'assistant', 'tool', 'function', '', 7, undefined];

function body(next: () => number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const out: Record<string, unknown> = {};
  const fields = ['model', 'stream', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop', 'stream_options', 'tools', 'tool_choice', 'parallel_tool_calls', 'reasoning_effort', 'user', 'extra'];
  for (const f of fields) if (next() < (f === 'model' ? 0.95 : 0.06)) out[f] = f === 'model' ? pick(['m', 'gpt-x', 'm', '', 3]) : pick(VALUES);
  if (next() < 0.9) {
    const n = Math.floor(next() * 4);
    out.messages = Array.from({ length: n }, () => {
      if (next() < 0.05) return pick(VALUES);
      const m: Record<string, unknown> = { role: next() < 0.5 ? 'user' : pick(ROLES) };
      if (next() < 0.9) m.content = next() < 0.6 ? 'hi' : pick(['', null, 3, [{ type: 'text', text: 'x' }], [{ type: 1 }]]);
      if (next() < 0.1) m.tool_calls = pick([[], null, [{ id: 'c', function: { name: 'f', arguments: '{}' } }], 'x']);
      if (next() < 0.1) m.tool_call_id = 'c';
      if (next() < 0.1) m.name = 'someone';
      return m;
    });
  } else if (next() < 0.5) out.messages = pick(VALUES);
  return out;
}

describe('isPlainChat', () => {
  it('takes the common requests', () => {
    expect(isPlainChat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })).toBe(true);
    expect(isPlainChat({ model: 'm', stream: true, max_tokens: 64, messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'yo' }], extra: { any: 1 } })).toBe(true);
  });

  it('leaves the rest to the schema', () => {
    expect(isPlainChat({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })).toBe(false);
    expect(isPlainChat({ model: 'm', messages: [{ role: 'tool', tool_call_id: 'c', content: 'r' }] })).toBe(false);
    expect(isPlainChat({ model: 'm', temperature: 0.2, messages: [{ role: 'user', content: 'hi' }] })).toBe(false);
    expect(isPlainChat({ model: 'm', max_tokens: 1e300, messages: [{ role: 'user', content: 'hi' }] })).toBe(false);
  });

  it('is never true for a body the chat schema refuses (20 000 generated bodies)', () => {
    const next = random(7);
    let plain = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = body(next);
      if (!isPlainChat(b)) continue;
      plain++;
      expect(checkOpenAiChatRequest(b).ok, JSON.stringify(b)).toBe(true);
    }
    // The generator reaches the fast path often enough for the check to mean something.
    expect(plain).toBeGreaterThan(200);
  });
});
