import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/*
 * The part of undici the server uses: connection pools, an agent, its connector and `request`.
 * undici's package entry also loads its fetch, WebSocket, EventSource, cache, mock and proxy
 * classes and, through them, Node's own bundled copy of undici: about 80 more modules and 3 MB of
 * heap that an idle server would carry for nothing (docs/memory.md). These are the same classes,
 * loaded from their own files; type-only imports of 'undici' elsewhere are unaffected.
 */
const require = createRequire(import.meta.url);

type Api = Pick<Undici.Dispatcher, 'request' | 'stream' | 'pipeline' | 'connect' | 'upgrade'>;
/** request/stream/pipeline/…, which undici's entry copies onto every dispatcher's prototype. */
const api = require('undici/lib/api/index.js') as Api;
const util = require('undici/lib/core/util.js') as { parseURL(url: string | URL): URL };

/** undici's Pool with the request API. */
export class Pool extends (require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool) {
  static {
    Object.assign(this.prototype, api);
  }
}

/** undici's Agent with the request API. */
export class Agent extends (require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent) {
  static {
    Object.assign(this.prototype, api);
  }
}

export const buildConnector = require('undici/lib/core/connect.js') as typeof Undici.buildConnector;
// Its option and callback types, as `buildConnector.BuildOptions` etc. like undici's own.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace buildConnector {
  type BuildOptions = Undici.buildConnector.BuildOptions;
  type Options = Undici.buildConnector.Options;
  type Callback = Undici.buildConnector.Callback;
  type connector = Undici.buildConnector.connector;
}

export type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  method?: Undici.Dispatcher.HttpMethod;
  dispatcher: Undici.Dispatcher;
};

/** undici's `request(url, options)`, always through the given dispatcher (never a global one). */
export function request(url: string | URL, options: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = util.parseURL(url);
  return dispatcher.request({
    ...rest,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: rest.method ?? (rest.body ? 'PUT' : 'GET'),
  });
}
