import { describe, expect, it } from 'vitest';
import { runTurn, type TurnView } from './run-turn.js';

const sse = (chunks: unknown[]) => chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
const delta = (d: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta: d, finish_reason: finish }] });

function fakeFetch(answers: Array<() => Response>) {
  const bodies: Array<Record<string, unknown>> = [];
  const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  };
  return { fetch: fetch as typeof globalThis.fetch, bodies };
}

const stream = (chunks: unknown[]) => () => new Response(sse(chunks), { headers: { 'content-type': 'text/event-stream' } });

describe('runTurn', () => {
  it('runs a two-round tool loop with fragments without ids, then answers', async () => {
    const { fetch, bodies } = fakeFetch([
      stream([delta({ tool_calls: [{ index: 0, function: { name: 'calculator', arguments: '{"expression":' } }] }), delta({ tool_calls: [{ index: 0, function: { arguments: '"6*7"}' } }] }), delta({}, 'tool_calls')]),
      stream([delta({ content: 'Checking.' }), delta({ tool_calls: [{ index: 0, id: 'call_x', function: { name: 'calculator', arguments: '{"expression":"42+1"}' } }] }), delta({}, 'tool_calls')]),
      stream([delta({ content: 'It is ' }), delta({ content: '43.' }), delta({}, 'stop')]),
    ]);
    const calls: Array<[string, Record<string, unknown>]> = [];
    const views: TurnView[] = [];
    const result = await runTurn({
      model: 'm', messages: [{ role: 'user', content: 'q' }], params: { temperature: 0.5 }, maxRounds: 3, fetch,
      tools: [{ type: 'function', function: { name: 'calculator', parameters: {} } }],
      callTool: async (name, args) => {
        calls.push([name, args]);
        return { text: JSON.stringify({ result: name === 'calculator' && args.expression === '6*7' ? 42 : 43 }), isError: false };
      },
      signal: new AbortController().signal, onUpdate: (v) => views.push(v),
    });
    expect(calls).toEqual([['calculator', { expression: '6*7' }], ['calculator', { expression: '42+1' }]]);
    // Text a round said beside its tool calls stays, as its own paragraph.
    expect(result.content).toBe('Checking.\n\nIt is 43.');
    expect(result.toolCalls).toEqual([
      { id: 'call_0_0', name: 'calculator', arguments: '{"expression":"6*7"}', result: '{"result":42}' },
      { id: 'call_x', name: 'calculator', arguments: '{"expression":"42+1"}', result: '{"result":43}' },
    ]);
    expect(bodies[0]).toMatchObject({ model: 'm', stream: true, temperature: 0.5 });
    expect(bodies[2]?.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'calculator', arguments: '{"expression":"6*7"}' } }] },
      { role: 'tool', tool_call_id: 'call_0_0', content: '{"result":42}' },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'calculator', arguments: '{"expression":"42+1"}' } }] },
      { role: 'tool', tool_call_id: 'call_x', content: '{"result":43}' },
    ]);
    expect(views.some((v) => v.phase === 'tools')).toBe(true);
  });

  it('stops at the round limit with a notice, and reports tool errors and bad arguments', async () => {
    const ask = stream([delta({ tool_calls: [{ index: 0, id: 'a', function: { name: 'calculator', arguments: '{oops' } }] }), delta({}, 'tool_calls')]);
    const { fetch } = fakeFetch([ask, ask]);
    const result = await runTurn({
      model: 'm', messages: [], params: {}, maxRounds: 2, fetch, tools: [], callTool: async () => ({ text: 'never', isError: false }),
      signal: new AbortController().signal, onUpdate: () => undefined,
    });
    // tools: [] means "tools off": the calls are not run.
    expect(result.toolCalls).toEqual([]);
    const { fetch: fetch2 } = fakeFetch([ask, ask]);
    const limited = await runTurn({
      model: 'm', messages: [], params: {}, maxRounds: 2, fetch: fetch2, tools: [{ type: 'function', function: { name: 'calculator', parameters: {} } }],
      callTool: async () => ({ text: 'never', isError: false }), signal: new AbortController().signal, onUpdate: () => undefined,
    });
    expect(limited.notice).toMatch(/Stopped after 2 tool rounds/);
    expect(limited.toolCalls[0]?.error).toMatch(/not valid JSON/);
  });

  it('retries while the engine is busy (503 + Retry-After) and reports a final error in words', async () => {
    const busy = () => new Response(JSON.stringify({ error: { message: 'loading' } }), { status: 503, headers: { 'retry-after': '1' } });
    const { fetch } = fakeFetch([busy, stream([delta({ content: 'ok' })])]);
    const slept: number[] = [];
    const ok = await runTurn({ model: 'm', messages: [], params: {}, maxRounds: 1, fetch, tools: null, callTool: async () => ({ text: '', isError: false }), signal: new AbortController().signal, onUpdate: () => undefined, sleep: async (ms) => void slept.push(ms) });
    expect(ok.content).toBe('ok');
    expect(slept).toEqual([1000]);
    const { fetch: f2 } = fakeFetch([() => new Response(JSON.stringify({ error: { message: 'The model `x` does not exist' } }), { status: 404 })]);
    const failed = await runTurn({ model: 'x', messages: [], params: {}, maxRounds: 1, fetch: f2, tools: null, callTool: async () => ({ text: '', isError: false }), signal: new AbortController().signal, onUpdate: () => undefined });
    expect(failed.error).toBe('The model `x` does not exist');
  });
});
