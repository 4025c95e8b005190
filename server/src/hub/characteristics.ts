/**
 * What a model is, from its `config.json` and hub tags, as pure functions. Rules and their order
 * reproduce the original so its outputs (and golden cases) carry over: see
 * docs/lessons-from-the-original.md, "Golden tables carried over".
 */

export interface ModelCharacteristics {
  model_type: string;
  architecture_family: string;
  is_multimodal: boolean;
  multimodal_type: 'vision' | null;
  use_cache: boolean;
  is_tool_use: boolean;
  max_position_embeddings?: number;
  num_hidden_layers?: number;
  hidden_size?: number;
  vocab_size?: number;
  num_attention_heads?: number;
  num_key_value_heads?: number;
  quantization_bits?: number;
  quantization_group_size?: number;
}

/** Ordered: partial matching walks this list and the first hit wins (short keys like `yi` included). */
const FAMILY_TABLE: readonly [string, string][] = [
  ['llama', 'Llama'], ['mllama', 'Llama'],
  ['qwen', 'Qwen'], ['qwen2', 'Qwen'], ['qwen3', 'Qwen'],
  ['mistral', 'Mistral'], ['mixtral', 'Mixtral'],
  ['gemma', 'Gemma'], ['gemma2', 'Gemma'],
  ['phi', 'Phi'], ['phi3', 'Phi'],
  ['starcoder', 'StarCoder'], ['starcoder2', 'StarCoder'],
  ['deepseek', 'DeepSeek'], ['deepseek_v3', 'DeepSeek'],
  ['glm', 'GLM'], ['chatglm', 'GLM'],
  ['minimax', 'MiniMax'], ['falcon', 'Falcon'], ['yi', 'Yi'],
  ['internlm', 'InternLM'], ['internlm2', 'InternLM'],
  ['baichuan', 'Baichuan'], ['cohere', 'Cohere'], ['command', 'Cohere'],
  ['olmo', 'OLMo'], ['nemotron', 'Nemotron'], ['granite', 'Granite'],
];

const TOOL_TAGS = ['tool-use', 'tool_use', 'function-calling', 'function_calling', 'tool-calling', 'tools'];
const TOOL_MODEL_TYPES = ['qwen', 'qwen2', 'qwen3', 'glm', 'chatglm', 'minimax', 'deepseek', 'deepseek_v3', 'hermes', 'command', 'cohere', 'mistral'];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function architectures(config: Record<string, unknown>): string[] {
  const a = config.architectures;
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

export function architectureFamily(config: Record<string, unknown>): string {
  const mt = str(config.model_type).toLowerCase();
  const exact = FAMILY_TABLE.find(([k]) => k === mt);
  if (exact) return exact[1];
  if (mt !== '') {
    const partial = FAMILY_TABLE.find(([k]) => mt.includes(k));
    if (partial) return partial[1];
  }
  const arch0 = (architectures(config)[0] ?? '').toLowerCase();
  if (arch0 !== '') {
    const fromArch = FAMILY_TABLE.find(([k]) => arch0.includes(k));
    if (fromArch) return fromArch[1];
  }
  return 'Unknown';
}

const MM_WORDS = ['vl', 'vision', 'multimodal'];

export function isMultimodal(config: Record<string, unknown>): boolean {
  if ('vision_config' in config || 'image_token_id' in config || 'video_token_id' in config) return true;
  const mt = str(config.model_type).toLowerCase();
  if (MM_WORDS.some((w) => mt.includes(w))) return true;
  return architectures(config).some((a) => MM_WORDS.some((w) => a.toLowerCase().includes(w)));
}

/** Three tiers: hub tags, then model family, then a `tool_call_parser` key in the config. */
export function isToolUse(config: Record<string, unknown>, tags: readonly string[] = []): boolean {
  if (tags.some((t) => TOOL_TAGS.some((k) => t.toLowerCase().includes(k)))) return true;
  const mt = str(config.model_type).toLowerCase();
  if (mt !== '' && TOOL_MODEL_TYPES.some((k) => mt === k || mt.includes(k))) return true;
  return 'tool_call_parser' in config;
}

function num(config: Record<string, unknown>, key: string): number | undefined {
  const v = config[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function characteristicsFromConfig(config: Record<string, unknown>, tags: readonly string[] = []): ModelCharacteristics {
  const mm = isMultimodal(config);
  const out: ModelCharacteristics = {
    model_type: str(config.model_type),
    architecture_family: architectureFamily(config),
    is_multimodal: mm,
    multimodal_type: mm ? 'vision' : null,
    use_cache: typeof config.use_cache === 'boolean' ? config.use_cache : true,
    is_tool_use: isToolUse(config, tags),
  };
  // Multimodal configs often keep the language-model numbers in `text_config`.
  const text = typeof config.text_config === 'object' && config.text_config !== null ? (config.text_config as Record<string, unknown>) : {};
  for (const key of ['max_position_embeddings', 'num_hidden_layers', 'hidden_size', 'vocab_size', 'num_attention_heads', 'num_key_value_heads'] as const) {
    const v = num(config, key) ?? num(text, key);
    if (v !== undefined) out[key] = v;
  }
  const q = config.quantization ?? config.quantization_config;
  if (typeof q === 'object' && q !== null && !Array.isArray(q)) {
    const bits = num(q as Record<string, unknown>, 'bits');
    const group = num(q as Record<string, unknown>, 'group_size');
    if (bits !== undefined) out.quantization_bits = bits;
    if (group !== undefined) out.quantization_group_size = group;
  }
  return out;
}

/** Billions of parameters from a repo name (`…-7B-…`, `…-0.5b`), as the original's size estimate. */
export function paramsFromName(repoId: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)b(?![a-z])/.exec(repoId.toLowerCase());
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1e9;
}

/** Bytes per parameter from a repo name: bf16/fp16/16bit 2, 8bit 1, 4bit 0.5, 3bit 0.375, 2bit 0.25, default 0.5. */
export function bytesPerParamFromName(repoId: string): number {
  const n = repoId.toLowerCase();
  if (/bf16|fp16|16bit/.test(n)) return 2;
  if (/8bit|8-bit/.test(n)) return 1;
  if (/4bit|4-bit/.test(n)) return 0.5;
  if (/3bit/.test(n)) return 0.375;
  if (/2bit/.test(n)) return 0.25;
  return 0.5;
}

/** Size in bytes: the hub's `usedStorage` when known, else params × bytes/param × 1.1 from the name, else 0. */
export function estimateSizeBytes(repoId: string, usedStorage?: number): number {
  if (usedStorage !== undefined && usedStorage > 0) return usedStorage;
  const params = paramsFromName(repoId);
  return params === undefined ? 0 : Math.round(params * bytesPerParamFromName(repoId) * 1.1);
}

/** The share of total RAM a model may use (the original's `max_memory_percent`, 80 %). */
export const USABLE_MEMORY_FRACTION = 0.8;

/** Whether a model of `sizeBytes` fits in `totalMemoryBytes × fraction`. Unknown size (0) → undefined. */
export function fitsOnMachine(sizeBytes: number, totalMemoryBytes: number, fraction = USABLE_MEMORY_FRACTION): boolean | undefined {
  if (!(sizeBytes > 0)) return undefined;
  return sizeBytes <= totalMemoryBytes * fraction;
}
