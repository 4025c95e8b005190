import { anthropicErrorBody, anthropicStreamErrorFrame, openAiErrorBody, openAiStreamErrorFrame, type GatewayFailure } from '../protocol/errors.js';
import type { WireProtocol } from '../upstreams/backend.js';

/** A failure the dispatcher tells the client, with the hint of when a retry may work. */
export interface ClientFailure extends GatewayFailure {
  /** Seconds after which a retry may succeed (a local model that could not be acquired in time). */
  retryAfterSeconds?: number;
}

/** Pure: the JSON error body in the client's protocol. */
export function errorBody(protocol: WireProtocol, f: ClientFailure): object {
  return protocol === 'anthropic' ? anthropicErrorBody(f) : openAiErrorBody(f);
}

/** Pure: the SSE frame that ends a stream which already began. */
export function errorFrame(protocol: WireProtocol, f: ClientFailure): string {
  return protocol === 'anthropic' ? anthropicStreamErrorFrame(f) : openAiStreamErrorFrame(f);
}
