import type { Lease, LocalTarget } from '../../ports.js';
import { limitsOf } from '../../policy/timeouts.js';
import type { Backend } from '../backend.js';
import { splitBaseUrl } from '../backend.js';
import { openAiBaseBackend } from '../openai-base/backend.js';
import { developerToSystem, ENGINE_TRAITS, reasoningAsReasoningContent } from './engine-traits.js';

/**
 * A local profile's engine, reached through its lease. The request's `model` is always rewritten
 * to the name the engine expects (`lease.upstreamModel`): mlx_lm.server would otherwise load
 * whatever the client named, and vllm-mlx refuses any other name.
 */
export function localBackend(target: LocalTarget, lease: Lease): Backend {
  const { origin, prefix } = splitBaseUrl(lease.baseUrl);
  const traits = ENGINE_TRAITS[target.engine];
  return openAiBaseBackend({
    origin,
    // Engines serve under /v1 whatever the lease's base URL carries.
    prefix: prefix.endsWith('/v1') ? prefix : `${prefix}/v1`,
    model: lease.upstreamModel,
    audit: { backend: 'local', targetId: target.profileId, name: target.name },
    profileId: target.profileId,
    timeouts: limitsOf('local', target.timeouts),
    guarded: false,
    authHeaders: {},
    anthropicNative: traits.anthropicNative,
    without: traits.without,
    ...(traits.developerAsSystem ? { adjustBody: developerToSystem } : {}),
    ...(traits.reasoningField === 'reasoning' ? { reshapeOpenAi: reasoningAsReasoningContent } : {}),
    release: () => lease.release(),
  });
}
