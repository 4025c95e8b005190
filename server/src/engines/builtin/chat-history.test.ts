import { describe, expect, it } from 'vitest';
import { toChatHistory, toFunctions } from './chat-history.js';

describe('toChatHistory', () => {
  it('joins each tool result to the call it answers', () => {
    const r = toChatHistory([
      { role: 'system', text: 's' },
      { role: 'user', text: 'weather?' },
      { role: 'assistant', text: 'checking', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }, { id: 'c2', name: 'noop', arguments: 'not json' }] },
      { role: 'tool', toolCallId: 'c1', text: '{"temp":21}' },
      { role: 'tool', toolCallId: 'c2', text: 'done' },
    ]);
    expect(r.ok && r.history).toEqual([
      { type: 'system', text: 's' },
      { type: 'user', text: 'weather?' },
      {
        type: 'model',
        response: [
          'checking',
          { type: 'functionCall', name: 'get_weather', params: { city: 'Paris' }, result: { temp: 21 } },
          { type: 'functionCall', name: 'noop', params: 'not json', result: 'done' },
        ],
      },
    ]);
  });

  it('refuses a tool result that answers no call', () => {
    const r = toChatHistory([{ role: 'user', text: 'x' }, { role: 'tool', toolCallId: 'ghost', text: '1' }]);
    expect(!r.ok && r.error.param).toBe('messages.1.tool_call_id');
  });
});

describe('toFunctions', () => {
  it('maps tools by name and leaves no functions for no tools', () => {
    expect(toFunctions([])).toBeUndefined();
    expect(toFunctions([{ name: 'f', description: 'd', parameters: { type: 'object' } }])).toEqual({ f: { description: 'd', params: { type: 'object' } } });
  });
});
