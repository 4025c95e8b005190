import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderTarget } from '../../ports.js';
import { anthropicHeadersToForward, ANTHROPIC_VERSION } from '../../protocol/index.js';
import { limitsOf } from '../../policy/timeouts.js';
import type { Backend, ClientEndpoint, UpstreamRoute } from '../backend.js';
import { splitBaseUrl } from '../backend.js';

/**
 * Anthropic's Messages API. Anthropic clients pass through unchanged (body, `anthropic-version`,
 * `anthropic-beta`); OpenAI chat clients are converted to `/v1/messages`. No completions or
 * embeddings. The base URL is the origin (a trailing `/v1` is tolerated).
 */
export function anthropicProviderBackend(target: ProviderTarget): Backend {
  const { origin, prefix } = splitBaseUrl(target.baseUrl);
  const root = prefix.replace(/\/v1$/, '');
  return {
    origin,
    model: target.model,
    audit: { backend: 'anthropic', targetId: target.providerId, name: target.name },
    profileId: null,
    timeouts: limitsOf('provider', target.timeouts),
    guarded: true,
    release: () => undefined,
    reshapeOpenAi: null,
    route(endpoint: ClientEndpoint): UpstreamRoute | null {
      switch (endpoint) {
        case 'messages':
          return { path: `${root}/v1/messages`, protocol: 'anthropic', translate: false };
        case 'count_tokens':
          return { path: `${root}/v1/messages/count_tokens`, protocol: 'anthropic', translate: false };
        case 'chat':
          return { path: `${root}/v1/messages`, protocol: 'anthropic', translate: true };
        default:
          return null;
      }
    },
    headers(client: IncomingHttpHeaders, route: UpstreamRoute): Record<string, string> {
      // Version and beta flags are the Anthropic client's choice; a converted OpenAI request gets
      // the default version only.
      const forwarded = route.translate ? { 'anthropic-version': ANTHROPIC_VERSION } : anthropicHeadersToForward(client);
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...forwarded };
      if (target.apiKey) headers['x-api-key'] = target.apiKey;
      return headers;
    },
    prepareBody(body: Record<string, unknown>): Record<string, unknown> {
      return { ...body, model: target.model };
    },
  };
}
