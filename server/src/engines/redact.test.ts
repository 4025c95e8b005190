import { describe, expect, it } from 'vitest';
import { redactArgv } from './redact.js';

describe('redactArgv', () => {
  it('hides values of secret-looking flags in both spellings, keeps the rest', () => {
    expect(redactArgv(['vllm-mlx', 'serve', 'm', '--api-key', 'sk-123', '--hf-token=hf_abc', '--port', '8000'])).toEqual([
      'vllm-mlx', 'serve', 'm', '--api-key', '***', '--hf-token=***', '--port', '8000',
    ]);
  });
});
