import type { ProviderTarget } from '../../ports.js';
import { limitsOf } from '../../policy/timeouts.js';
import type { Backend, ClientEndpoint, UpstreamRoute } from '../backend.js';
import { openAiBody, splitBaseUrl } from '../backend.js';

/** The parts an OpenAI-speaking backend varies on; everything else is shared here. */
export interface OpenAiBaseOptions extends Omit<Backend, 'route' | 'headers' | 'prepareBody' | 'reshapeOpenAi'> {
  /** Path prefix before `/chat/completions` (`/v1` for engines, the base URL's path for providers). */
  prefix: string;
  /** Static request headers (a provider's `Authorization`). */
  authHeaders: Record<string, string>;
  /** Endpoints this backend serves natively in Anthropic's protocol (vllm-mlx, llama-server). */
  anthropicNative?: boolean;
  /** Endpoints it lacks (mlx_lm.server has no embeddings). */
  without?: readonly ClientEndpoint[];
  /** Engine quirks applied after the shared OpenAI tweaks. */
  adjustBody?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Engine dialect of its answers, turned into the common one (see Backend.reshapeOpenAi). */
  reshapeOpenAi?: Backend['reshapeOpenAi'];
}

const OPENAI_PATHS: Record<'chat' | 'completions' | 'embeddings', string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
};

/**
 * The shared base of every OpenAI-compatible backend (local engines, OpenAI, openai-compatible
 * providers): OpenAI endpoints pass through, Anthropic `/v1/messages` is converted to chat
 * completions unless the backend speaks it natively, and `count_tokens` is answered by the gateway's
 * estimate (route null) unless the backend has it.
 */
export function openAiBaseBackend(options: OpenAiBaseOptions): Backend {
  const { prefix, authHeaders, anthropicNative = false, without = [], adjustBody, reshapeOpenAi = null, ...rest } = options;
  const routeOf = (endpoint: ClientEndpoint): UpstreamRoute | null => {
    if (without.includes(endpoint)) return null;
    switch (endpoint) {
      case 'chat':
      case 'completions':
      case 'embeddings':
        return { path: prefix + OPENAI_PATHS[endpoint], protocol: 'openai', translate: false };
      case 'messages':
        return anthropicNative
          ? { path: `${prefix}/messages`, protocol: 'anthropic', translate: false }
          : { path: prefix + OPENAI_PATHS.chat, protocol: 'openai', translate: true };
      case 'count_tokens':
        return anthropicNative ? { path: `${prefix}/messages/count_tokens`, protocol: 'anthropic', translate: false } : null;
    }
  };
  // Built once per backend (a backend lives as long as its routing answer): asked on every request.
  const routes = new Map<ClientEndpoint, UpstreamRoute | null>();
  const headers: Readonly<Record<string, string>> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...authHeaders };
  return {
    ...rest,
    reshapeOpenAi,
    route(endpoint: ClientEndpoint): UpstreamRoute | null {
      let route = routes.get(endpoint);
      if (route === undefined) routes.set(endpoint, (route = routeOf(endpoint)));
      return route;
    },
    headers(): Readonly<Record<string, string>> {
      return headers;
    },
    prepareBody(body: Record<string, unknown>, route: UpstreamRoute): Record<string, unknown> {
      if (route.protocol === 'anthropic') return { ...body, model: rest.model };
      const out = openAiBody(body, rest.model);
      return adjustBody ? adjustBody(out) : out;
    },
  };
}

/** A provider that speaks OpenAI's protocol: Bearer key (when it has one), paths under its base URL. */
export function openAiProviderBase(target: ProviderTarget): Backend {
  const { origin, prefix } = splitBaseUrl(target.baseUrl);
  return openAiBaseBackend({
    origin,
    prefix,
    model: target.model,
    audit: { backend: target.providerKind, targetId: target.providerId, name: target.name },
    profileId: null,
    timeouts: limitsOf('provider', target.timeouts),
    guarded: true,
    authHeaders: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {},
    release: () => undefined,
  });
}
