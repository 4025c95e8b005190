import type { ClientEndpoint, UpstreamRoute } from '../upstreams/backend.js';

/** One SSE event as eventsource-parser reads it. */
export interface SseEvent {
  event?: string | undefined;
  data: string;
}

/** Turns one upstream stream (events in the backend's protocol) into frames in the client's. */
export interface StreamTranslation {
  /** Frames for the client (possibly empty) for one upstream event's JSON payload. */
  push(payload: unknown): string;
  /** Closing frames once the upstream ended cleanly. */
  end(): string;
}

/** The conversions of one request whose backend speaks the other protocol. */
export interface RequestTranslation {
  /** The request body in the backend's protocol. */
  body: Record<string, unknown>;
  /** A whole upstream answer → the client's answer. */
  response(upstream: unknown): unknown;
  stream(): StreamTranslation;
}

export interface TranslateInput {
  endpoint: ClientEndpoint;
  body: Record<string, unknown>;
  route: UpstreamRoute;
  /** The model the backend gets (the converters put it in the body). */
  upstreamModel: string;
  /** The model the client asked for (echoed back in converted answers). */
  clientModel: string;
  /** OpenAI's own API refuses fields local engines accept. */
  dialect: 'openai' | 'compatible';
}

/** The protocol converters, as the dispatcher needs them (wired to gateway/protocol in translate.ts). */
export interface Translator {
  /** Throws ConversionError for a request the other protocol cannot express. */
  translate(input: TranslateInput): RequestTranslation;
  /** `count_tokens` for a backend without one: the documented estimate. */
  estimateTokens(body: Record<string, unknown>): number;
}
