/**
 * Model family detection and parser recommendation, pure; rules, order and golden cases carried
 * over from the original (docs/lessons-from-the-original.md, "Golden tables carried over").
 * Used to pre-fill a profile's tool-call / reasoning parser and message converter.
 */

export type ParserType = 'tool_call_parser' | 'reasoning_parser' | 'message_converter';

/** mlx-openai-server 1.5.0's lists, the fallback when the installed server cannot be asked. */
export const FALLBACK_PARSERS: Readonly<Record<ParserType, readonly string[]>> = {
  tool_call_parser: ['functiongemma', 'glm4_moe', 'harmony', 'hermes', 'iquest_coder_v1', 'minimax_m2', 'nemotron3_nano', 'qwen3', 'qwen3_coder', 'qwen3_moe', 'qwen3_vl', 'solar_open'],
  reasoning_parser: ['glm4_moe', 'harmony', 'hermes', 'minimax_m2', 'nemotron3_nano', 'qwen3', 'qwen3_moe', 'qwen3_vl', 'solar_open'],
  message_converter: ['glm4_moe', 'minimax', 'minimax_m2', 'nemotron3_nano', 'qwen3_coder'],
};

function familyOfText(t: string): string | undefined {
  const s = t.toLowerCase();
  if (s.includes('qwen')) {
    if (s.includes('coder')) return 'qwen3_coder';
    if (s.includes('moe')) return 'qwen3_moe';
    if (s.includes('vl')) return 'qwen3_vl';
    return 'qwen3';
  }
  for (const f of ['glm', 'minimax', 'nemotron', 'harmony', 'hermes', 'solar']) if (s.includes(f)) return f;
  return undefined;
}

/** Family from `model_type`, then each `architectures` entry, then the repo id; undefined when none. */
export function detectModelFamily(repoId: string, config: Record<string, unknown> = {}): string | undefined {
  const texts: string[] = [];
  if (typeof config.model_type === 'string') texts.push(config.model_type);
  if (Array.isArray(config.architectures)) texts.push(...config.architectures.filter((a): a is string => typeof a === 'string'));
  texts.push(repoId);
  for (const t of texts) {
    const f = familyOfText(t);
    if (f) return f;
  }
  return undefined;
}

/** Length of the longest common subsequence (for the Indel distance). */
function lcs(a: string, b: string): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = a[i - 1] === b[j - 1] ? prev + 1 : Math.max(row[j] as number, row[j - 1] as number);
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

/** rapidfuzz-style normalised Indel similarity, 0–100. */
export function ratio(a: string, b: string): number {
  if (a.length + b.length === 0) return 100;
  return (200 * lcs(a, b)) / (a.length + b.length);
}

/** rapidfuzz-style partial ratio: best `ratio` of the shorter string against windows of the longer. */
export function partialRatio(a: string, b: string): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return long.length === 0 ? 100 : 0;
  let best = 0;
  for (let i = -short.length + 1; i < long.length; i++) {
    const win = long.slice(Math.max(0, i), Math.max(0, i + short.length));
    best = Math.max(best, ratio(short, win));
    if (best === 100) break;
  }
  return best;
}

const EXCLUDED_FOR_PLAIN = ['coder', 'moe', 'vl', 'nano', 'open'];

function baseFamily(option: string): string {
  return (option.split('_')[0] ?? option).replace(/\d/g, '');
}

function variantOf(option: string): string | undefined {
  const parts = option.split('_');
  return parts.length > 1 ? parts.at(-1) : undefined;
}

/** The best option of one parser type for a model name, or undefined. */
export function recommendOption(repoId: string, type: ParserType, options: readonly string[] = FALLBACK_PARSERS[type]): string | undefined {
  const name = repoId.toLowerCase().replace(/_/g, '-');
  const scored: { option: string; score: number }[] = [];
  for (const option of options) {
    const base = baseFamily(option);
    if (base === '' || !name.includes(base)) continue;
    const variant = variantOf(option);
    const variantOk = variant === undefined
      ? !EXCLUDED_FOR_PLAIN.some((w) => name.includes(w))
      : name.includes(variant) || (variant === 'm2' && /m2[.\d]?/.test(name));
    if (!variantOk) continue;
    const score = partialRatio(option.replace(/_/g, '-'), name);
    if (score >= 50) scored.push({ option, score });
  }
  if (scored.length === 0 && type !== 'message_converter') {
    // A family with exactly one option whose base occurs in the name (glm → glm4_moe).
    const byBase = new Map<string, string[]>();
    for (const o of options) byBase.set(baseFamily(o), [...(byBase.get(baseFamily(o)) ?? []), o]);
    for (const [base, opts] of byBase) if (opts.length === 1 && base !== '' && name.includes(base)) scored.push({ option: opts[0] as string, score: 0 });
  }
  scored.sort((a, b) => b.option.length - a.option.length || b.score - a.score);
  return scored[0]?.option;
}

export interface RecommendedOptions {
  tool_call_parser?: string;
  reasoning_parser?: string;
  message_converter?: string;
}

export function recommendOptions(repoId: string, lists: Readonly<Record<ParserType, readonly string[]>> = FALLBACK_PARSERS): RecommendedOptions {
  const out: RecommendedOptions = {};
  for (const type of ['tool_call_parser', 'reasoning_parser', 'message_converter'] as const) {
    const o = recommendOption(repoId, type, lists[type]);
    if (o !== undefined) out[type] = o;
  }
  return out;
}
