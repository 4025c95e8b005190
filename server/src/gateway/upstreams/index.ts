import type { LocalTarget, ProviderTarget, Lease } from '../ports.js';
import { anthropicProviderBackend } from './anthropic/backend.js';
import type { Backend } from './backend.js';
import { localBackend } from './local/backend.js';
import { openAiCompatibleBackend } from './openai-compatible/backend.js';
import { openAiProviderBackend } from './openai/backend.js';

/*
 * Adapters hold nothing that belongs to one request, and a target object lives as long as the
 * routing it came from (see wiring.ts): each is built once per target, not once per request.
 */
const providerBackends = new WeakMap<ProviderTarget, Backend>();
const localBackends = new WeakMap<LocalTarget, { baseUrl: string; upstreamModel: string; backend: Backend }>();

/** The adapter for a provider target, by its kind. */
export function providerBackend(target: ProviderTarget): Backend {
  let backend = providerBackends.get(target);
  if (!backend) {
    backend = buildProviderBackend(target);
    providerBackends.set(target, backend);
  }
  return backend;
}

function buildProviderBackend(target: ProviderTarget): Backend {
  switch (target.providerKind) {
    case 'openai':
      return openAiProviderBackend(target);
    case 'anthropic':
      return anthropicProviderBackend(target);
    case 'openai-compatible':
      return openAiCompatibleBackend(target);
  }
}

/** A local engine's adapter for one lease: the same as the last one for this engine, with this lease's release. */
export function leasedBackend(target: LocalTarget, lease: Lease): Backend {
  let known = localBackends.get(target);
  if (!known || known.baseUrl !== lease.baseUrl || known.upstreamModel !== lease.upstreamModel) {
    known = { baseUrl: lease.baseUrl, upstreamModel: lease.upstreamModel, backend: localBackend(target, lease) };
    localBackends.set(target, known);
  }
  return { ...known.backend, release: () => lease.release() };
}
