import { describe, expect, it } from 'vitest';
import { openAiBody } from './backend.js';

describe('openAiBody', () => {
  it('leaves a body with nothing to change as it is', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false };
    expect(openAiBody(body, 'm')).toBe(body);
  });

  it('rewrites the model and asks streams for usage in a copy, the client’s body untouched', () => {
    const body = { model: 'alias', messages: [], stream: true, stream_options: { include_obfuscation: false } };
    const before = structuredClone(body);
    expect(openAiBody(body, 'real')).toEqual({ model: 'real', messages: [], stream: true, stream_options: { include_obfuscation: false, include_usage: true } });
    expect(openAiBody({ model: 'real', stream: true }, 'real')).toEqual({ model: 'real', stream: true, stream_options: { include_usage: true } });
    expect(openAiBody({ model: 'alias' }, 'real')).toEqual({ model: 'real' });
    expect(body).toEqual(before);
  });
});
