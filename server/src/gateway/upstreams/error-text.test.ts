import { describe, expect, it } from 'vitest';
import { upstreamErrorMessage } from './error-text.js';

describe('upstreamErrorMessage', () => {
  it.each([
    ['openai shape', '{"error":{"message":"bad things","type":"x"}}', 'bad things'],
    ['anthropic shape', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'Overloaded'],
    ['mlx_lm plain string', '{"error":"Model not found"}', 'Model not found'],
    ['fastapi detail', '{"detail":"The model `x` does not exist"}', 'The model `x` does not exist'],
    ['fastapi validation list', '{"detail":[{"loc":["body"],"msg":"bad"}]}', '[{"loc":["body"],"msg":"bad"}]'],
    ['plain text', 'Not Found\n', 'Not Found'],
    ['empty', '', 'upstream answered 502'],
    ['json without message', '{"foo":1}', 'upstream answered 502'],
  ])('%s', (_name, text, expected) => {
    expect(upstreamErrorMessage(502, text)).toBe(expected);
  });

  it('caps very long messages', () => {
    expect(upstreamErrorMessage(500, 'x'.repeat(5000)).length).toBeLessThan(1100);
  });
});
