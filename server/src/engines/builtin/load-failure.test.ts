import { describe, expect, it } from 'vitest';
import { loadFailureReason } from './load-failure.js';

describe('loadFailureReason', () => {
  it('keeps the reason llama.cpp logged, once', () => {
    const lines = [
      "llama_model_load: error loading model: unknown model architecture: 'martian'",
      'llama_model_load_from_file_impl: failed to load model',
      "llama_model_load: error loading model: unknown model architecture: 'martian'",
    ];
    expect(loadFailureReason(lines, 'Failed to load model')).toBe("unknown model architecture: 'martian'");
  });

  it('drops the "error loading model hyperparameters" wrapper', () => {
    expect(loadFailureReason(['llama_model_load: error loading model: error loading model hyperparameters: key not found in model: llama.embedding_length'], 'x'))
      .toBe('key not found in model: llama.embedding_length');
  });

  it('falls back to the thrown message when the log says nothing useful', () => {
    expect(loadFailureReason(['something else'], 'Failed to load model')).toBe('Failed to load model');
  });
});
