import type { FakeRepoInput } from '../fixtures/fake-hub/index.js';
import { pseudoBytes } from './helpers.js';

/**
 * A small repo real Python tooling can load offline (AutoConfig, AutoTokenizer): llama config,
 * a WordLevel tokenizer with a chat template, weights-sized random bytes to exercise chunking.
 * Used until/unless the tiny model generator's output is preferred.
 */
export function syntheticModelRepo(id: string, weightsBytes = 3 * 1024 * 1024 + 17): FakeRepoInput {
  const vocab = { '[UNK]': 0, '<s>': 1, '</s>': 2, hello: 3, world: 4 };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 1, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 2, content: '</s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
  };
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: 16,
    intermediate_size: 32,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    num_hidden_layers: 1,
    max_position_embeddings: 2048,
    vocab_size: 5,
    bos_token_id: 1,
    eos_token_id: 2,
    quantization: { group_size: 64, bits: 4 },
  };
  return {
    id,
    tags: ['mlx', 'text-generation'],
    downloads: 42,
    likes: 7,
    files: [
      { path: 'config.json', content: JSON.stringify(config, null, 2) },
      { path: 'tokenizer.json', content: JSON.stringify(tokenizer) },
      {
        path: 'tokenizer_config.json',
        content: JSON.stringify({
          tokenizer_class: 'PreTrainedTokenizerFast',
          bos_token: '<s>',
          eos_token: '</s>',
          unk_token: '[UNK]',
          chat_template: "{% for m in messages %}{{ m['content'] }} {% endfor %}",
        }),
      },
      { path: 'model.safetensors', content: pseudoBytes(weightsBytes, 5) },
      { path: 'docs/README.md', content: '# tiny\n' },
    ],
  };
}
