import { describe, expect, it } from 'vitest';
import { withModel } from './model-rewrite.js';

describe('withModel', () => {
  it('replaces the model in a copy and keeps every other field', () => {
    const body = { model: 'qwen', messages: [{ role: 'user', content: 'hi' }], stream: true };
    const out = withModel(body, '/models/qwen3.gguf');
    expect(out).toEqual({ model: '/models/qwen3.gguf', messages: body.messages, stream: true });
    expect(body.model).toBe('qwen');
  });
});
