// Images between the two protocols: Anthropic's `{type:"base64", media_type, data}` source is an
// OpenAI `data:<media_type>;base64,<data>` URL, and a `{type:"url"}` source is the plain URL.
import type { AnthropicImageSource } from './anthropic/types.js';

export function imageUrlFromSource(source: AnthropicImageSource): string {
  return source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
}

const DATA_URL = /^data:([^;,]+)((?:;[^;,]+)*?);base64,(.*)$/s;

/** The Anthropic source of an OpenAI image URL; null for a data URL that is not base64. */
export function sourceFromImageUrl(url: string): AnthropicImageSource | null {
  if (!url.startsWith('data:')) return { type: 'url', url };
  const match = DATA_URL.exec(url);
  if (!match) return null;
  return { type: 'base64', media_type: match[1] ?? '', data: match[3] ?? '' };
}
