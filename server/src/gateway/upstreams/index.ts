import type { LocalTarget, ProviderTarget, Lease } from '../ports.js';
import { anthropicProviderBackend } from './anthropic/backend.js';
import type { Backend } from './backend.js';
import { localBackend } from './local/backend.js';
import { openAiCompatibleBackend } from './openai-compatible/backend.js';
import { openAiProviderBackend } from './openai/backend.js';

/** The adapter for a provider target, by its kind. */
export function providerBackend(target: ProviderTarget): Backend {
  switch (target.providerKind) {
    case 'openai':
      return openAiProviderBackend(target);
    case 'anthropic':
      return anthropicProviderBackend(target);
    case 'openai-compatible':
      return openAiCompatibleBackend(target);
  }
}

export function leasedBackend(target: LocalTarget, lease: Lease): Backend {
  return localBackend(target, lease);
}
