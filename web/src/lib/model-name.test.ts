import { describe, expect, it } from 'vitest';
import { displayModel } from './model-name.js';

describe('displayModel', () => {
  it.each([
    ['mlx-community/Qwen3-0.6B-4bit', 'mlx-community/Qwen3-0.6B-4bit'],
    ['/home/me/.cache/huggingface/hub/models--Qwen--Qwen3-0.6B-GGUF/snapshots/abc123/Qwen3-0.6B-Q4_K_M.gguf', 'Qwen/Qwen3-0.6B-GGUF · Qwen3-0.6B-Q4_K_M.gguf'],
    ['/data/hub/models--org--with--dashes/snapshots/abc/sub/dir/model.gguf', 'org/with/dashes · sub/dir/model.gguf'],
    ['/data/hub/models--org--name/snapshots/abc', 'org/name'],
    ['/opt/models/llama.gguf', 'llama.gguf'],
    ['C:\\models\\llama.gguf', 'llama.gguf'],
  ])('%s → %s', (model, shown) => {
    expect(displayModel(model)).toBe(shown);
  });
});
