import { describe, expect, it } from 'vitest';
import { architectureFamily, characteristicsFromConfig, estimateSizeBytes, fitsOnMachine, isToolUse } from './characteristics.js';

describe('architectureFamily (the original tool\'s table and order)', () => {
  it.each([
    [{ model_type: 'llama' }, 'Llama'],
    [{ model_type: 'mllama' }, 'Llama'],
    [{ model_type: 'qwen2_moe' }, 'Qwen'],
    [{ model_type: 'qwen3' }, 'Qwen'],
    [{ model_type: 'mixtral' }, 'Mixtral'],
    [{ model_type: 'gemma3_text' }, 'Gemma'],
    [{ model_type: 'phi3' }, 'Phi'],
    [{ model_type: 'deepseek_v3' }, 'DeepSeek'],
    [{ model_type: 'chatglm' }, 'GLM'],
    [{ model_type: 'command-r' }, 'Cohere'],
    [{ model_type: 'olmo2' }, 'OLMo'],
    [{ model_type: 'weird', architectures: ['GraniteForCausalLM'] }, 'Granite'],
    [{ architectures: ['MistralForCausalLM'] }, 'Mistral'],
    [{ model_type: 'bert' }, 'Unknown'],
    [{}, 'Unknown'],
  ])('%j → %s', (config, family) => expect(architectureFamily(config)).toBe(family));
});

describe('characteristicsFromConfig', () => {
  it('reads quantization, context and sizes from an MLX config', () => {
    const c = characteristicsFromConfig({
      model_type: 'qwen3', max_position_embeddings: 40960, num_hidden_layers: 36, hidden_size: 2560,
      vocab_size: 151936, num_attention_heads: 32, num_key_value_heads: 8, quantization: { group_size: 64, bits: 4 },
    });
    expect(c).toMatchObject({
      model_type: 'qwen3', architecture_family: 'Qwen', is_multimodal: false, multimodal_type: null, use_cache: true,
      is_tool_use: true, max_position_embeddings: 40960, quantization_bits: 4, quantization_group_size: 64, num_key_value_heads: 8,
    });
  });
  it('omits keys that are absent and detects vision four ways', () => {
    const c = characteristicsFromConfig({ model_type: 'llama' });
    expect('max_position_embeddings' in c).toBe(false);
    expect('quantization_bits' in c).toBe(false);
    for (const cfg of [{ vision_config: {} }, { image_token_id: 5 }, { model_type: 'qwen2_vl' }, { architectures: ['LlavaForVisionText'] }]) {
      expect(characteristicsFromConfig(cfg)).toMatchObject({ is_multimodal: true, multimodal_type: 'vision' });
    }
  });
  it('tool use: tags, then family, then a tool_call_parser key', () => {
    expect(isToolUse({ model_type: 'llama' }, ['Function-Calling'])).toBe(true);
    expect(isToolUse({ model_type: 'mistral' })).toBe(true);
    expect(isToolUse({ model_type: 'llama', tool_call_parser: 'hermes' })).toBe(true);
    expect(isToolUse({ model_type: 'llama' }, ['text-generation'])).toBe(false);
  });
});

describe('size and fit', () => {
  it('prefers usedStorage, else estimates from the name', () => {
    expect(estimateSizeBytes('x/whatever', 1234)).toBe(1234);
    expect(estimateSizeBytes('mlx-community/Qwen3-8B-4bit')).toBe(Math.round(8e9 * 0.5 * 1.1));
    expect(estimateSizeBytes('mlx-community/Llama-3.2-1B-Instruct-bf16')).toBe(Math.round(1e9 * 2 * 1.1));
    expect(estimateSizeBytes('mlx-community/Qwen2.5-0.5B-8bit')).toBe(Math.round(0.5e9 * 1 * 1.1));
    expect(estimateSizeBytes('x/no-size-here')).toBe(0);
  });
  it('fits against total memory × usable fraction', () => {
    const gib = 1024 ** 3;
    expect(fitsOnMachine(10 * gib, 16 * gib)).toBe(true);
    expect(fitsOnMachine(13 * gib, 16 * gib)).toBe(false);
    expect(fitsOnMachine(0, 16 * gib)).toBeUndefined();
  });
});
