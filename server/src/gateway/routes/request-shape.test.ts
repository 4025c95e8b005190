import { describe, expect, it } from 'vitest';
import { checkShape } from './request-shape.js';

describe('checkShape', () => {
  const ok = [
    ['chat', { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 }],
    ['completions', { model: 'm', prompt: 'Once' }],
    ['embeddings', { model: 'm', input: ['a', 'b'] }],
    ['messages', { model: 'm', max_tokens: 10, system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }],
    ['count_tokens', { model: 'm', messages: [{ role: 'user', content: 'x' }] }],
  ] as const;
  it.each(ok)('%s accepts a well-formed body and keeps unknown fields', (endpoint, body) => {
    const r = checkShape(endpoint, body);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.body).toBe(body);
  });

  const bad = [
    ['chat', null, null],
    ['chat', [1, 2], null],
    ['chat', { messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['chat', { model: '', messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['chat', { model: 7, messages: [] }, 'model'],
    ['chat', { model: 'm' }, 'messages'],
    ['chat', { model: 'm', messages: 'hi' }, 'messages'],
    ['chat', { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: 'yes' }, 'stream'],
    ['messages', { model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    ['messages', { model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }, 'messages.0.role'],
    ['messages', { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 5 }] }, 'messages.0.content'],
    ['embeddings', { model: 'm' }, 'input'],
  ] as const;
  it.each(bad)('%s refuses %j naming %s', (endpoint, body, param) => {
    const r = checkShape(endpoint, body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.param).toBe(param);
  });
});
