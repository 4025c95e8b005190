import { isObject } from '../upstreams/backend.js';
import type { WireProtocol } from '../upstreams/backend.js';

/** Tokens in and out of one answer; null where the upstream did not say. */
export interface TokenCounts {
  input: number | null;
  output: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Folds the usage found in one upstream JSON payload (a whole answer or one stream event) into
 * `acc`. OpenAI puts `usage` on the answer or on a final chunk; Anthropic on `message_start`
 * (input) and `message_delta` (cumulative output). Pure.
 */
export function foldUsage(acc: TokenCounts, protocol: WireProtocol, payload: unknown): TokenCounts {
  if (!isObject(payload)) return acc;
  if (protocol === 'openai') {
    const usage = payload.usage;
    if (!isObject(usage)) return acc;
    return { input: num(usage.prompt_tokens) ?? acc.input, output: num(usage.completion_tokens) ?? acc.output };
  }
  const usage = isObject(payload.message) && isObject(payload.message.usage) ? payload.message.usage : payload.usage;
  if (!isObject(usage)) return acc;
  const input = num(usage.input_tokens);
  const cached = (num(usage.cache_read_input_tokens) ?? 0) + (num(usage.cache_creation_input_tokens) ?? 0);
  return {
    input: input === null ? acc.input : input + cached,
    output: num(usage.output_tokens) ?? acc.output,
  };
}

export const NO_USAGE: TokenCounts = { input: null, output: null };
