import type { ProviderTarget } from '../../ports.js';
import type { Backend } from '../backend.js';
import { openAiProviderBase } from '../openai-base/backend.js';

/**
 * Any OpenAI-compatible server (Ollama, LM Studio, OpenRouter, a remote vLLM). The key is optional
 * (local servers have none). Treated exactly like OpenAI: only the audit label differs.
 */
export function openAiCompatibleBackend(target: ProviderTarget): Backend {
  return openAiProviderBase(target);
}
