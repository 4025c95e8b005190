// Builders of OpenAI response bodies and stream chunks from a finished (or finishing) answer.
// Used by the built-in engine; the gateway's converters build their own from upstream answers.
import { newOpenAiToolCallId, randomHex } from '../ids.js';
import type { OpenAiChatChunk, OpenAiChunkDelta, OpenAiUsage } from './types.js';

/** What an answer amounts to, whatever produced it. */
export interface AnswerSummary {
  text: string;
  reasoning: string;
  toolCalls: { name: string; arguments: string }[];
  finishReason: 'stop' | 'length' | 'tool_calls';
  promptTokens: number;
  completionTokens: number;
}

export interface ResponseMeta {
  id: string;
  model: string;
  created: number;
}

export function newMeta(prefix: 'chatcmpl' | 'cmpl', model: string, now = Date.now()): ResponseMeta {
  return { id: `${prefix}-${randomHex(12)}`, model, created: Math.floor(now / 1000) };
}

export const newToolCallId = newOpenAiToolCallId;

export function usageOf(r: Pick<AnswerSummary, 'promptTokens' | 'completionTokens'>): OpenAiUsage {
  return { prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, total_tokens: r.promptTokens + r.completionTokens };
}

/** The fields every response body and chunk starts with. */
function head<O extends string>(meta: ResponseMeta, object: O) {
  return { id: meta.id, object, created: meta.created, model: meta.model };
}

function toolCallsBody(calls: AnswerSummary['toolCalls'], ids: string[]) {
  return calls.map((c, i) => ({ id: ids[i] ?? newToolCallId(), type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
}

export function chatCompletion(meta: ResponseMeta, r: AnswerSummary, toolCallIds: string[] = []) {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: r.toolCalls.length > 0 && r.text === '' ? null : r.text,
    refusal: null,
  };
  if (r.reasoning) message.reasoning_content = r.reasoning;
  if (r.toolCalls.length > 0) message.tool_calls = toolCallsBody(r.toolCalls, toolCallIds);
  return {
    ...head(meta, 'chat.completion'),
    choices: [{ index: 0, message, finish_reason: r.finishReason, logprobs: null }],
    usage: usageOf(r),
  };
}

export function chatChunk(meta: ResponseMeta, delta: OpenAiChunkDelta, finishReason: AnswerSummary['finishReason'] | null = null): OpenAiChatChunk {
  return {
    ...head(meta, 'chat.completion.chunk'),
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    usage: null,
  };
}

export function chatUsageChunk(meta: ResponseMeta, r: Pick<AnswerSummary, 'promptTokens' | 'completionTokens'>): OpenAiChatChunk {
  return { ...head(meta, 'chat.completion.chunk'), choices: [], usage: usageOf(r) };
}

export function textCompletion(meta: ResponseMeta, r: AnswerSummary) {
  return {
    ...head(meta, 'text_completion'),
    choices: [{ index: 0, text: r.text, finish_reason: r.finishReason, logprobs: null }],
    usage: usageOf(r),
  };
}

export function textCompletionChunk(meta: ResponseMeta, text: string, finishReason: AnswerSummary['finishReason'] | null = null) {
  return {
    ...head(meta, 'text_completion'),
    choices: [{ index: 0, text, finish_reason: finishReason, logprobs: null }],
    usage: null,
  };
}

export function textUsageChunk(meta: ResponseMeta, r: Pick<AnswerSummary, 'promptTokens' | 'completionTokens'>) {
  return { ...head(meta, 'text_completion'), choices: [], usage: usageOf(r) };
}

/** OpenAI's base64 encoding of an embedding: the float32 values, little-endian. */
export function embeddingToBase64(vector: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let binary = '';
  for (const b of new Uint8Array(view.buffer)) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function embeddingList(model: string, vectors: number[][], promptTokens: number, base64: boolean) {
  return {
    object: 'list',
    model,
    data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? embeddingToBase64(v) : v })),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

export function modelList(id: string, created: number, meta: Record<string, unknown>) {
  return { object: 'list', data: [{ id, object: 'model', created, owned_by: 'mlx-manager', meta }] };
}
