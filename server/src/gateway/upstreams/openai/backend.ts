import type { ProviderTarget } from '../../ports.js';
import type { Backend } from '../backend.js';
import { openAiProviderBase } from '../openai-base/backend.js';

/**
 * OpenAI itself. Its base URL includes `/v1` (as the OpenAI SDK's `baseURL`); it has no Anthropic
 * endpoints, so `/v1/messages` is converted and `count_tokens` estimated.
 */
export function openAiProviderBackend(target: ProviderTarget): Backend {
  return openAiProviderBase(target);
}
