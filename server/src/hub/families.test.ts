import { describe, expect, it } from 'vitest';
import { detectModelFamily, partialRatio, recommendOptions } from './families.js';

describe('recommendOptions (the original tool\'s golden cases)', () => {
  const cases: [string, Record<string, string>][] = [
    ['mlx-community/Qwen3-8B-4bit', { tool_call_parser: 'qwen3', reasoning_parser: 'qwen3' }],
    ['mlx-community/Qwen3-Coder-32B', { tool_call_parser: 'qwen3_coder', message_converter: 'qwen3_coder' }],
    ['mlx-community/Qwen3-MoE-30B', { tool_call_parser: 'qwen3_moe', reasoning_parser: 'qwen3_moe' }],
    ['lmstudio-community/Qwen3-30B-A3.3B-MoE-4bit', { tool_call_parser: 'qwen3_moe', reasoning_parser: 'qwen3_moe' }],
    ['mlx-community/MiniMax-M2.1-3bit', { tool_call_parser: 'minimax_m2', reasoning_parser: 'minimax_m2', message_converter: 'minimax_m2' }],
    ['mlx-community/MiniMax-M2-3bit', { tool_call_parser: 'minimax_m2', reasoning_parser: 'minimax_m2', message_converter: 'minimax_m2' }],
    ['mlx-community/GLM-4-9B', { tool_call_parser: 'glm4_moe', reasoning_parser: 'glm4_moe' }],
    ['mlx-community/Hermes-3-70B', { tool_call_parser: 'hermes', reasoning_parser: 'hermes' }],
    ['mlx-community/Llama-3.1-70B', {}],
    ['mlx-community/Mistral-7B-Instruct', {}],
    ['mlx-community/Phi-3-mini', {}],
  ];
  for (const [id, want] of cases) {
    it(id, () => expect(recommendOptions(id)).toEqual(want));
  }
  it('Qwen3-VL has no converter; Nemotron and Solar get their single-family parser', () => {
    expect(recommendOptions('mlx-community/Qwen3-VL-7B').message_converter).toBeUndefined();
    expect(recommendOptions('mlx-community/Qwen3-VL-7B').tool_call_parser).toBe('qwen3_vl');
    expect(recommendOptions('nvidia/Nemotron-3-8B').tool_call_parser).toBe('nemotron3_nano');
    expect(recommendOptions('nvidia/Nemotron-3-8B').message_converter).toBeUndefined();
    expect(recommendOptions('upstage/Solar-10.7B').tool_call_parser).toBe('solar_open');
  });
});

describe('detectModelFamily', () => {
  it('tries model_type, then architectures, then the id', () => {
    expect(detectModelFamily('x/y', { model_type: 'qwen3_moe' })).toBe('qwen3_moe');
    expect(detectModelFamily('x/Qwen3-Coder', { model_type: 'qwen3' })).toBe('qwen3');
    expect(detectModelFamily('x/y', { model_type: 'llama', architectures: ['Glm4ForCausalLM'] })).toBe('glm');
    expect(detectModelFamily('mlx-community/Qwen3-Coder-30B', {})).toBe('qwen3_coder');
    expect(detectModelFamily('x/MiniMax-M2')).toBe('minimax');
    expect(detectModelFamily('x/llama-3')).toBeUndefined();
  });
});

describe('partialRatio', () => {
  it('is 100 for a substring and low for unrelated text', () => {
    expect(partialRatio('qwen3', 'mlx-community/qwen3-8b')).toBe(100);
    expect(partialRatio('harmony', 'phi-3-mini')).toBeLessThan(50);
  });
});
