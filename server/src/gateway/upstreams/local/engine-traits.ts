import type { EngineKind } from '@mlx-manager/contract';
import type { ClientEndpoint } from '../backend.js';

/**
 * What the gateway must know of each local engine's HTTP side (docs/gateway-data-plane.md, "Local engines").
 * Pure data: the launchers know how to start an engine, this table how to talk to it.
 */
export interface EngineTraits {
  /** Serves Anthropic's `/v1/messages` and `/v1/messages/count_tokens` itself. */
  anthropicNative: boolean;
  /** Endpoints the engine does not have. */
  without: readonly ClientEndpoint[];
  /** Refuses the `developer` role: send it as `system`. */
  developerAsSystem: boolean;
  /** Puts reasoning in `reasoning` (mlx_lm.server) rather than the common `reasoning_content`. */
  reasoningField: 'reasoning' | 'reasoning_content';
}

export const ENGINE_TRAITS: Record<EngineKind, EngineTraits> = {
  // mlx_lm.server: chat and completions only; needs Content-Length (the gateway always sends a
  // sized body) and answers in HTTP/1.0 with plain-string errors (normalised by error-text.ts).
  'mlx-lm': { anthropicNative: false, without: ['embeddings'], developerAsSystem: false, reasoningField: 'reasoning' },
  'mlx-openai-server': { anthropicNative: false, without: [], developerAsSystem: true, reasoningField: 'reasoning_content' },
  'vllm-mlx': { anthropicNative: true, without: [], developerAsSystem: false, reasoningField: 'reasoning_content' },
  'llama-server': { anthropicNative: true, without: [], developerAsSystem: false, reasoningField: 'reasoning_content' },
  builtin: { anthropicNative: false, without: [], developerAsSystem: false, reasoningField: 'reasoning_content' },
  custom: { anthropicNative: false, without: [], developerAsSystem: false, reasoningField: 'reasoning_content' },
};

/** Pure: `developer` messages become `system` ones (same content). */
export function developerToSystem(body: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(body.messages)) return body;
  const messages = body.messages.map((m: unknown) =>
    typeof m === 'object' && m !== null && (m as { role?: unknown }).role === 'developer' ? { ...m, role: 'system' } : m,
  );
  return { ...body, messages };
}

/** Pure: an OpenAI answer or chunk with `reasoning` (message or delta) renamed `reasoning_content`. */
export function reasoningAsReasoningContent(payload: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(payload.choices)) return payload;
  const rename = (part: unknown): unknown => {
    if (typeof part !== 'object' || part === null || !('reasoning' in part)) return part;
    const { reasoning, ...rest } = part as Record<string, unknown>;
    return 'reasoning_content' in rest ? rest : { ...rest, reasoning_content: reasoning };
  };
  const choices = payload.choices.map((c: unknown) => {
    if (typeof c !== 'object' || c === null) return c;
    const choice = c as Record<string, unknown>;
    return { ...choice, ...('message' in choice ? { message: rename(choice.message) } : {}), ...('delta' in choice ? { delta: rename(choice.delta) } : {}) };
  });
  return { ...payload, choices };
}
