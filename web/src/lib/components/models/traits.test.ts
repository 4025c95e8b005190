import { describe, expect, it } from 'vitest';
import type { HubModelSummary } from '@mlx-manager/contract';
import { bitsFromText, chipOptions, familyFromText, matchesFilters, noFilters, traitsOfHub } from './traits.js';

const hub = (id: string, tags: string[] = [], extra: Partial<HubModelSummary> = {}): HubModelSummary => ({
  id,
  author: id.split('/')[0] ?? '',
  downloads: 0,
  likes: 0,
  last_modified: null,
  tags,
  pipeline_tag: 'text-generation',
  library_name: 'mlx',
  gated: false,
  size_bytes: 0,
  size_estimated: false,
  parameters: null,
  fits: null,
  is_downloaded: false,
  ...extra,
});

describe('traits from names and tags', () => {
  it('finds families and bits', () => {
    expect(familyFromText('mlx-community/Qwen2.5-7B-Instruct-4bit')).toBe('Qwen');
    expect(familyFromText('mlx-community/Llama-3.2-1B')).toBe('Llama');
    expect(familyFromText('microsoft/Phi-3-mini')).toBe('Phi');
    expect(familyFromText('org/unknown-model')).toBeNull();
    expect(bitsFromText('Qwen2.5-7B-Instruct-4bit')).toBe(4);
    expect(bitsFromText('model-8-bit')).toBe(8);
    expect(bitsFromText('model-bf16')).toBe(16);
    expect(bitsFromText('llama-q5_k_m.gguf')).toBe(5);
    expect(bitsFromText('Qwen2.5-7B')).toBeNull();
  });

  it('reads vision, tools and GGUF from tags', () => {
    const t = traitsOfHub(hub('org/Pixtral-12B-4bit', ['mlx', 'image-text-to-text'], { pipeline_tag: 'image-text-to-text', fits: true }));
    expect(t).toMatchObject({ vision: true, bits: 4, fits: true, gguf: false });
    expect(traitsOfHub(hub('org/Qwen3-8B', ['mlx'])).tools).toBe(true);
    expect(traitsOfHub(hub('org/Tiny-GGUF', ['gguf'])).gguf).toBe(true);
  });
});

describe('matchesFilters', () => {
  const qwen = traitsOfHub(hub('org/Qwen3-8B-4bit', [], { fits: true }));
  const llama = traitsOfHub(hub('org/Llama-3-70B-8bit', [], { fits: false }));

  it('passes everything with no filter', () => {
    expect(matchesFilters(qwen, noFilters())).toBe(true);
  });

  it('combines architecture, bits, tools and fits', () => {
    expect(matchesFilters(qwen, { ...noFilters(), architectures: new Set(['Llama']) })).toBe(false);
    expect(matchesFilters(llama, { ...noFilters(), architectures: new Set(['Llama']), bits: new Set([8]) })).toBe(true);
    expect(matchesFilters(llama, { ...noFilters(), fits: true })).toBe(false);
    expect(matchesFilters(qwen, { ...noFilters(), fits: true, tools: true })).toBe(true);
    expect(matchesFilters(qwen, { ...noFilters(), vision: true })).toBe(false);
  });

  it('offers chips for what the list contains', () => {
    expect(chipOptions([qwen, llama])).toEqual({ architectures: ['Llama', 'Qwen'], bits: [4, 8] });
  });
});
