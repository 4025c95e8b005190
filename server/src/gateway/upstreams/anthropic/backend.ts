import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderTarget } from '../../ports.js';
import { timeoutsFor } from '../../policy/timeouts.js';
import type { Backend, ClientEndpoint, UpstreamRoute } from '../backend.js';
import { splitBaseUrl } from '../backend.js';

/** The API version the official SDK sends; used when the client sent none (an OpenAI client). */
export const ANTHROPIC_VERSION = '2023-06-01';

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
    timeouts: timeoutsFor('provider', target.timeouts),
    guarded: true,
    release: () => undefined,
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
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'anthropic-version': single(client['anthropic-version']) ?? ANTHROPIC_VERSION,
      };
      if (target.apiKey) headers['x-api-key'] = target.apiKey;
      // Beta features are the Anthropic client's choice; an OpenAI client never sends any.
      const beta = single(client['anthropic-beta']);
      if (beta && !route.translate) headers['anthropic-beta'] = beta;
      return headers;
    },
    prepareBody(body: Record<string, unknown>): Record<string, unknown> {
      return { ...body, model: target.model };
    },
  };
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
