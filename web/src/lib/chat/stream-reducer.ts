/**
 * Pure: one streamed chat answer (`/v1/chat/completions` chunks) folded into what the page shows —
 * the answer text, the reasoning and how long it took, the tool calls the model asked for, the
 * speed. Reasoning arrives as `reasoning_content`, as `reasoning`, or inside `<think>` tags in the
 * content (also cut across chunks, also never closed). Tool-call fragments are joined by their
 * `index`; later fragments usually come without an `id`. A frame that is not JSON is counted and
 * skipped, never fatal.
 */
import { initialThinkTagState, splitThinkTags, type ThinkTagState } from './think-tags.js';

export interface ToolCallDraft {
  /** The stream's `index` of this call (order of calls in one answer). */
  index: number;
  id: string;
  name: string;
  arguments: string;
}

export interface AnswerState {
  content: string;
  reasoning: string;
  think: ThinkTagState;
  toolCalls: ToolCallDraft[];
  finishReason: string | null;
  model: string | null;
  startedAt: number;
  firstTokenAt: number | null;
  reasoningStartedAt: number | null;
  reasoningEndedAt: number | null;
  endedAt: number | null;
  /** From the final usage chunk when the backend sends one. */
  completionTokens: number | null;
  /** Deltas that carried text: the token count's stand-in when there is no usage. */
  deltas: number;
  malformedFrames: number;
  error: string | null;
}

export const initialAnswer = (startedAt: number): AnswerState => ({
  content: '',
  reasoning: '',
  think: initialThinkTagState(),
  toolCalls: [],
  finishReason: null,
  model: null,
  startedAt,
  firstTokenAt: null,
  reasoningStartedAt: null,
  reasoningEndedAt: null,
  endedAt: null,
  completionTokens: null,
  deltas: 0,
  malformedFrames: 0,
  error: null,
});

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Pure: joins one `delta.tool_calls` element into the calls so far. */
export function mergeToolCallDelta(calls: readonly ToolCallDraft[], delta: Json): ToolCallDraft[] {
  const fn = isObject(delta.function) ? delta.function : {};
  const id = str(delta.id);
  const name = str(fn.name);
  const args = typeof fn.arguments === 'string' ? fn.arguments : isObject(fn.arguments) ? JSON.stringify(fn.arguments) : '';
  const index = typeof delta.index === 'number' ? delta.index : undefined;
  const next = [...calls];
  let at = -1;
  if (index !== undefined) at = next.findIndex((c) => c.index === index);
  else if (id) at = next.findIndex((c) => c.id === id);
  else at = next.length - 1; // neither index nor id: a continuation of the latest call
  // Some servers give every call index 0: a different id at the same index is a new call.
  if (at !== -1 && id && next[at]?.id && next[at]?.id !== id) at = -1;
  if (at === -1) {
    next.push({ index: index ?? next.length, id, name, arguments: args });
    return next;
  }
  const current = next[at] as ToolCallDraft;
  next[at] = { ...current, id: current.id || id, name: current.name || name, arguments: current.arguments + args };
  return next;
}

function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isObject(error) && typeof error.message === 'string') return error.message;
  return 'The model answered with an error';
}

/** Feeds one SSE `data:` payload. */
export function reduceFrame(state: AnswerState, data: string, now: number): AnswerState {
  if (data.trim() === '[DONE]') return state;
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    return { ...state, malformedFrames: state.malformedFrames + 1 };
  }
  if (!isObject(chunk)) return { ...state, malformedFrames: state.malformedFrames + 1 };
  let s: AnswerState = { ...state };
  if (chunk.error !== undefined) s.error = errorMessage(chunk.error);
  if (typeof chunk.model === 'string' && !s.model) s.model = chunk.model;
  if (isObject(chunk.usage) && typeof chunk.usage.completion_tokens === 'number') s.completionTokens = chunk.usage.completion_tokens;
  const choice = Array.isArray(chunk.choices) && isObject(chunk.choices[0]) ? chunk.choices[0] : undefined;
  if (!choice) return s;
  const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : {};

  const reasoningPart = str(delta.reasoning_content) || str(delta.reasoning);
  if (reasoningPart) s = addReasoning(s, reasoningPart, now);

  const content = str(delta.content);
  if (content) {
    const split = splitThinkTags(s.think, content);
    s.think = split.state;
    if (split.movedToReasoning) s = { ...s, reasoning: s.reasoning + s.content, content: '', reasoningStartedAt: s.reasoningStartedAt ?? s.firstTokenAt ?? now };
    if (split.out.reasoning) s = addReasoning(s, split.out.reasoning, now);
    if (split.out.answer) s = addAnswer(s, split.out.answer, now);
    else if (split.movedToReasoning && !split.state.inside) s.reasoningEndedAt ??= now;
  }

  if (Array.isArray(delta.tool_calls)) {
    for (const part of delta.tool_calls) if (isObject(part)) s.toolCalls = mergeToolCallDelta(s.toolCalls, part);
    s.firstTokenAt ??= now;
    if (s.reasoningStartedAt !== null) s.reasoningEndedAt ??= now;
  }
  if (typeof choice.finish_reason === 'string') s.finishReason = choice.finish_reason;
  return s;
}

function addReasoning(s: AnswerState, text: string, now: number): AnswerState {
  return { ...s, reasoning: s.reasoning + text, deltas: s.deltas + 1, firstTokenAt: s.firstTokenAt ?? now, reasoningStartedAt: s.reasoningStartedAt ?? now, reasoningEndedAt: null };
}

function addAnswer(s: AnswerState, text: string, now: number): AnswerState {
  // Leading whitespace between a closed think block and the answer is not the answer.
  const content = s.content === '' ? text.replace(/^\s+/, '') : s.content + text;
  const reasoningEndedAt = s.reasoningStartedAt !== null && text.trim() !== '' ? (s.reasoningEndedAt ?? now) : s.reasoningEndedAt;
  return { ...s, content, deltas: s.deltas + 1, firstTokenAt: s.firstTokenAt ?? now, reasoningEndedAt };
}

/** The stream ended (or was stopped): flush held text, close an unterminated think block. */
export function finishAnswer(state: AnswerState, now: number): AnswerState {
  const split = splitThinkTags(state.think, '', true);
  const s: AnswerState = { ...state, think: split.state, endedAt: now };
  if (split.out.reasoning) s.reasoning += split.out.reasoning;
  if (split.out.answer) s.content += split.out.answer;
  if (s.reasoningStartedAt !== null) s.reasoningEndedAt ??= now;
  return s;
}

export interface AnswerStats {
  ttftMs: number | null;
  durationMs: number;
  tokens: number | null;
  tokensPerSecond: number | null;
  /** The token count is the number of text deltas (no usage from the backend). */
  estimated: boolean;
}

/** Pure: time to first token, tokens and tokens per second (first token → end). */
export function answerStats(s: AnswerState, now: number): AnswerStats {
  const end = s.endedAt ?? now;
  const estimated = s.completionTokens === null;
  const tokens = s.completionTokens ?? (s.deltas > 0 ? s.deltas : null);
  const genMs = s.firstTokenAt === null ? 0 : end - s.firstTokenAt;
  return {
    ttftMs: s.firstTokenAt === null ? null : s.firstTokenAt - s.startedAt,
    durationMs: end - s.startedAt,
    tokens,
    tokensPerSecond: tokens !== null && genMs > 0 ? (tokens * 1000) / genMs : null,
    estimated,
  };
}

/** Milliseconds of reasoning so far (null when the answer has none). */
export function reasoningMs(s: AnswerState, now: number): number | null {
  if (s.reasoningStartedAt === null) return null;
  return (s.reasoningEndedAt ?? now) - s.reasoningStartedAt;
}
