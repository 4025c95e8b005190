// Server-sent-event frames of an Anthropic stream. Every frame carries an `event:` line equal to
// its payload's `type`: the official SDK silently drops frames without one. See
// docs/gateway-protocols.md ("Anthropic streaming").
import type { AnthropicStreamEvent } from './types.js';

export const anthropicEventFrame = (event: AnthropicStreamEvent): string =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

/** Anthropic's own heartbeat; the SDK skips it, so it is safe at any point of a stream. */
export const ANTHROPIC_PING_FRAME = anthropicEventFrame({ type: 'ping' });
