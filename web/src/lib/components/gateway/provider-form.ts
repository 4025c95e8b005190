import type { CreateProviderRequest, ModelPrices, Provider, ProviderKind, UpdateProviderRequest } from '@mlx-manager/contract';

/** What the provider form edits (strings, as typed). */
export interface ProviderDraft {
  name: string;
  kind: ProviderKind;
  base_url: string;
  /** Empty: keep the stored key (edit) or none (create). */
  api_key: string;
  remove_key: boolean;
  /** One model per line. */
  models: string;
  /** model → [input, output] per million tokens, as typed ('' = not priced). */
  prices: Record<string, [string, string]>;
}

export const KIND_OPTIONS: ReadonlyArray<{ value: ProviderKind; label: string }> = [
  { value: 'openai-compatible', label: 'OpenAI-compatible (Ollama, LM Studio, vLLM, OpenRouter…)' },
  { value: 'openai', label: 'OpenAI' },
  { value: 'anthropic', label: 'Anthropic' },
];

export const BASE_URL_HINTS: Record<ProviderKind, string> = {
  'openai-compatible': 'Include the API path, e.g. http://127.0.0.1:11434/v1',
  openai: 'e.g. https://api.openai.com/v1',
  anthropic: 'The origin only, e.g. https://api.anthropic.com',
};

export function draftOf(p: Provider | undefined): ProviderDraft {
  if (!p) return { name: '', kind: 'openai-compatible', base_url: '', api_key: '', remove_key: false, models: '', prices: {} };
  const prices: ProviderDraft['prices'] = {};
  for (const [model, price] of Object.entries(p.prices)) prices[model] = [price.input_per_mtok?.toString() ?? '', price.output_per_mtok?.toString() ?? ''];
  return { name: p.name, kind: p.kind, base_url: p.base_url, api_key: '', remove_key: false, models: p.models.join('\n'), prices };
}

export const modelsOf = (text: string): string[] => [...new Set(text.split(/[\n,]/).map((m) => m.trim()).filter(Boolean))];

/** Pure: problems the form can see before asking the server (the server checks everything again). */
export function draftProblems(d: ProviderDraft): Record<string, string> {
  const out: Record<string, string> = {};
  if (!d.name.trim()) out.name = 'Give the provider a name.';
  let url: URL | undefined;
  try {
    url = new URL(d.base_url.trim());
  } catch {
    out.base_url = 'Enter an absolute URL starting with http:// or https://.';
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') out.base_url = 'The URL must start with http:// or https://.';
  if (url && (url.username || url.password)) out.base_url = 'Put the key in the API key field, not in the URL.';
  for (const [model, pair] of Object.entries(d.prices)) {
    if (!modelsOf(d.models).includes(model)) continue;
    for (const v of pair) if (v.trim() !== '' && !(Number(v) >= 0)) out.prices = `Prices must be numbers of dollars, 0 or more (${model}).`;
  }
  return out;
}

function pricesOf(d: ProviderDraft): ModelPrices {
  const out: ModelPrices = {};
  const num = (v: string) => (v.trim() === '' ? null : Number(v));
  for (const model of modelsOf(d.models)) {
    const pair = d.prices[model];
    if (!pair || (pair[0].trim() === '' && pair[1].trim() === '')) continue;
    out[model] = { input_per_mtok: num(pair[0]), output_per_mtok: num(pair[1]) };
  }
  return out;
}

export function createBody(d: ProviderDraft): CreateProviderRequest {
  return {
    name: d.name.trim(),
    kind: d.kind,
    base_url: d.base_url.trim(),
    ...(d.api_key.trim() ? { api_key: d.api_key.trim() } : {}),
    models: modelsOf(d.models),
    prices: pricesOf(d),
  };
}

/** Only a typed key replaces the stored one; "remove" deletes it; otherwise the key is left alone. */
export function updateBody(d: ProviderDraft): UpdateProviderRequest {
  const { api_key: _key, ...rest } = createBody(d);
  void _key;
  return { ...rest, ...(d.api_key.trim() ? { api_key: d.api_key.trim() } : d.remove_key ? { api_key: null } : {}) };
}
