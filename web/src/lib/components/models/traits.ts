import type { HubModelSummary, LocalModel, ModelCharacteristics } from '@mlx-manager/contract';

/** What the filter chips and badges know about one model, local or on the hub. */
export interface ModelTraits {
  architecture: string | null;
  bits: number | null;
  vision: boolean;
  tools: boolean;
  fits: boolean | null;
  gguf: boolean;
}

export interface ModelFilters {
  architectures: ReadonlySet<string>;
  bits: ReadonlySet<number>;
  vision: boolean;
  tools: boolean;
  fits: boolean;
}

export const noFilters = (): ModelFilters => ({ architectures: new Set(), bits: new Set(), vision: false, tools: false, fits: false });

/** Architecture families recognised in tags and names (first match wins), as the hub names them. */
const FAMILIES: Array<[RegExp, string]> = [
  [/qwen/, 'Qwen'],
  [/llama|codellama/, 'Llama'],
  [/mixtral|mistral|ministral|devstral/, 'Mistral'],
  [/gemma/, 'Gemma'],
  [/phi[-_]?\d|(^|[-_/])phi($|[-_])/, 'Phi'],
  [/deepseek/, 'DeepSeek'],
  [/glm/, 'GLM'],
  [/minimax/, 'MiniMax'],
  [/starcoder/, 'StarCoder'],
  [/granite/, 'Granite'],
  [/smollm/, 'SmolLM'],
  [/olmo/, 'OLMo'],
  [/falcon/, 'Falcon'],
  [/command[-_]?r|cohere/, 'Command-R'],
  [/hermes/, 'Hermes'],
];
const TOOL_FAMILIES = new Set(['Qwen', 'GLM', 'MiniMax', 'DeepSeek', 'Hermes', 'Command-R', 'Mistral']);

export function familyFromText(text: string): string | null {
  const lower = text.toLowerCase();
  for (const [pattern, family] of FAMILIES) if (pattern.test(lower)) return family;
  return null;
}

/** Quantization bits from a name or tag: "4bit", "4-bit", "q4_k_m", "8bit", "bf16"/"fp16" → 16. */
export function bitsFromText(text: string): number | null {
  const lower = text.toLowerCase();
  const bit = /(?:^|[^a-z0-9])(\d{1,2})[-_]?bits?(?:$|[^a-z0-9])/.exec(lower);
  if (bit?.[1]) return Number(bit[1]);
  const gguf = /(?:^|[^a-z0-9])i?q(\d)(?:_|$|[^a-z0-9])/.exec(lower);
  if (gguf?.[1]) return Number(gguf[1]);
  if (/(?:^|[^a-z0-9])(bf16|fp16|f16)(?:$|[^a-z0-9])/.test(lower)) return 16;
  if (/mxfp4/.test(lower)) return 4;
  return null;
}

const VISION = /(^|[-_/ ])(vision|vl|vlm|multimodal|image-text-to-text|llava|pixtral|internvl)($|[-_/ ])/;
const TOOLS = /(tool-use|function-calling|tool-calling|(^|[-_ ])tools($|[-_ ]))/;

export function traitsOfHub(model: HubModelSummary): ModelTraits {
  const text = [model.id, ...model.tags].join(' ');
  const architecture = firstFamily([...model.tags, model.id]);
  return {
    architecture,
    bits: firstBits([model.id, ...model.tags]),
    vision: model.pipeline_tag === 'image-text-to-text' || VISION.test(text.toLowerCase()),
    tools: TOOLS.test(text.toLowerCase()) || (architecture !== null && TOOL_FAMILIES.has(architecture)),
    fits: model.fits,
    gguf: model.tags.includes('gguf') || /gguf/i.test(model.id),
  };
}

export function traitsOfLocal(model: LocalModel): ModelTraits {
  const c: ModelCharacteristics | null = model.characteristics;
  const family = c && c.architecture_family !== 'Unknown' ? c.architecture_family : (model.model_family ?? familyFromText(model.id));
  return {
    architecture: family,
    bits: c?.quantization_bits ?? bitsFromText(model.id),
    vision: c?.is_multimodal ?? VISION.test(model.id.toLowerCase()),
    tools: c?.is_tool_use ?? (family !== null && TOOL_FAMILIES.has(family)),
    fits: model.fits,
    gguf: /gguf/i.test(model.id),
  };
}

function firstFamily(texts: readonly string[]): string | null {
  for (const t of texts) {
    const f = familyFromText(t);
    if (f) return f;
  }
  return null;
}

function firstBits(texts: readonly string[]): number | null {
  for (const t of texts) {
    const b = bitsFromText(t);
    if (b !== null) return b;
  }
  return null;
}

/** Every active filter must match; a model whose trait is unknown does not match a filter on that trait. */
export function matchesFilters(traits: ModelTraits, filters: ModelFilters): boolean {
  if (filters.architectures.size > 0 && (traits.architecture === null || !filters.architectures.has(traits.architecture))) return false;
  if (filters.bits.size > 0 && (traits.bits === null || !filters.bits.has(traits.bits))) return false;
  if (filters.vision && !traits.vision) return false;
  if (filters.tools && !traits.tools) return false;
  if (filters.fits && traits.fits !== true) return false;
  return true;
}

/** The chips worth offering for a list: the architectures and bit widths present in it. */
export function chipOptions(all: readonly ModelTraits[]): { architectures: string[]; bits: number[] } {
  const architectures = new Set<string>();
  const bits = new Set<number>();
  for (const t of all) {
    if (t.architecture) architectures.add(t.architecture);
    if (t.bits !== null) bits.add(t.bits);
  }
  return { architectures: [...architectures].sort(), bits: [...bits].sort((a, b) => a - b) };
}

export function activeFilterCount(filters: ModelFilters): number {
  return filters.architectures.size + filters.bits.size + Number(filters.vision) + Number(filters.tools) + Number(filters.fits);
}
