/**
 * One answer to one user turn through `/v1/chat/completions`: stream it, fold the chunks with the
 * stream reducer, run the tools the model asks for (over MCP) and ask again, up to `maxRounds`
 * rounds. The page passes callbacks and an AbortSignal (the Stop button); everything the page
 * shows is in the `TurnView` handed to `onUpdate`.
 */
import type { ChatToolCall } from '@mlx-manager/contract';
import type { OutgoingMessage } from './conversation.js';
import type { OpenAiTool, ToolOutcome } from './mcp-client.js';
import { SseDataSplitter } from './sse-lines.js';
import { answerStats, finishAnswer, initialAnswer, reasoningMs, reduceFrame, type AnswerState, type AnswerStats } from './stream-reducer.js';

export type TurnPhase = 'waiting' | 'streaming' | 'tools' | 'done';

export interface TurnView {
  phase: TurnPhase;
  /** The round being streamed (answer text so far is `content` below plus this round's). */
  answer: AnswerState;
  content: string;
  reasoning: string;
  reasoningMs: number | null;
  toolCalls: ChatToolCall[];
  round: number;
  /** "Model busy, retrying in 3 s" and the like. */
  notice: string | null;
}

export interface TurnResult {
  content: string;
  reasoning: string;
  reasoningMs: number | null;
  toolCalls: ChatToolCall[];
  stats: AnswerStats | null;
  stopped: boolean;
  error: string | null;
  notice: string | null;
}

export interface TurnOptions {
  model: string;
  messages: OutgoingMessage[];
  params: Record<string, number>;
  tools: OpenAiTool[] | null;
  maxRounds: number;
  callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolOutcome>;
  signal: AbortSignal;
  onUpdate(view: TurnView): void;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Engines still loading answer 503 with Retry-After; a few waits cover a slow start. */
const MAX_BUSY_RETRIES = 3;

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    });
  });
}

/** Pure: the message inside an OpenAI (or Anthropic, or our /api) error body. */
export function errorText(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (message) return message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim().slice(0, 500) || `The gateway answered ${status}`;
}

/** Pure: the texts of two rounds as separate paragraphs. */
function joinParts(before: string, after: string): string {
  return before && after ? `${before}\n\n${after}` : before + after;
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

function parseArguments(text: string): Record<string, unknown> | string {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : 'Tool arguments must be a JSON object';
  } catch {
    return `The model sent arguments that are not valid JSON: ${text.slice(0, 200)}`;
  }
}

export async function runTurn(o: TurnOptions): Promise<TurnResult> {
  const doFetch = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? defaultSleep;
  const messages = [...o.messages];
  const toolCalls: ChatToolCall[] = [];
  let content = '';
  let reasoning = '';
  let thinkingMs: number | null = null;
  let answer = initialAnswer(now());
  let notice: string | null = null;
  let round = 0;

  const view = (phase: TurnPhase): TurnView => {
    const current = reasoningMs(answer, now());
    return {
      phase,
      answer,
      content: joinParts(content, answer.content),
      reasoning: joinParts(reasoning, answer.reasoning),
      reasoningMs: current === null ? thinkingMs : (thinkingMs ?? 0) + current,
      toolCalls: [...toolCalls],
      round,
      notice,
    };
  };
  const result = (extra: Partial<TurnResult>): TurnResult => {
    const v = view('done');
    return { content: v.content, reasoning: v.reasoning, reasoningMs: v.reasoningMs, toolCalls, stats: answer.firstTokenAt === null ? null : answerStats(answer, now()), stopped: false, error: null, notice, ...extra };
  };

  try {
    for (round = 0; round < o.maxRounds; round++) {
      answer = initialAnswer(now());
      o.onUpdate(view('waiting'));
      const body = { model: o.model, messages, stream: true, stream_options: { include_usage: true }, ...o.params, ...(o.tools && o.tools.length > 0 ? { tools: o.tools } : {}) };
      let response: Response | undefined;
      for (let attempt = 0; ; attempt++) {
        response = await doFetch('/v1/chat/completions', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify(body),
          signal: o.signal,
        });
        const retryAfter = Number(response.headers.get('retry-after'));
        if (response.status !== 503 || !(retryAfter > 0) || attempt >= MAX_BUSY_RETRIES) break;
        await response.body?.cancel();
        notice = `The model is busy or still loading; trying again in ${retryAfter} s…`;
        o.onUpdate(view('waiting'));
        await sleep(Math.min(retryAfter, 30) * 1000, o.signal);
      }
      notice = null;
      if (!response.ok || !response.body) return result({ error: errorText(response.status, await response.text()) });

      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const splitter = new SseDataSplitter();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          const frames = done ? splitter.end() : splitter.push(value);
          for (const data of frames) answer = reduceFrame(answer, data, now());
          if (frames.length > 0) o.onUpdate(view(answer.firstTokenAt === null ? 'waiting' : 'streaming'));
          if (done) break;
        }
      } finally {
        reader.releaseLock();
      }
      answer = finishAnswer(answer, now());
      if (answer.error) return result({ error: answer.error });

      const calls = answer.toolCalls.filter((c) => c.name !== '');
      if (calls.length === 0 || !o.tools || o.tools.length === 0) return result({});

      // A tool round: keep what this round said, run the calls, and ask again with the results.
      content = joinParts(content, answer.content);
      reasoning = joinParts(reasoning, answer.reasoning);
      thinkingMs = view('tools').reasoningMs;
      const assistantCalls = calls.map((c, i) => ({ ...c, id: c.id || `call_${round}_${i}` }));
      messages.push({ role: 'assistant', content: answer.content || null, tool_calls: assistantCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments || '{}' } })) });
      for (const call of assistantCalls) {
        const record: ChatToolCall = { id: call.id, name: call.name, arguments: call.arguments };
        toolCalls.push(record);
        o.onUpdate(view('tools'));
        const args = parseArguments(call.arguments);
        if (typeof args === 'string') record.error = args;
        else {
          try {
            const outcome = await o.callTool(call.name, args, o.signal);
            if (outcome.isError) record.error = outcome.text;
            else record.result = outcome.text;
          } catch (err) {
            if (isAbort(err)) throw err;
            record.error = err instanceof Error ? err.message : 'The tool failed';
          }
        }
        messages.push({ role: 'tool', tool_call_id: call.id, content: record.error ? `Error: ${record.error}` : (record.result ?? '') });
        o.onUpdate(view('tools'));
      }
      answer = initialAnswer(now());
    }
    return result({ notice: `Stopped after ${o.maxRounds} tool round${o.maxRounds === 1 ? '' : 's'} (the chat's limit); the model still wanted to call tools.` });
  } catch (err) {
    if (isAbort(err)) {
      answer = finishAnswer(answer, now());
      return result({ stopped: true });
    }
    return result({ error: err instanceof Error ? `Could not reach the gateway: ${err.message}` : 'Could not reach the gateway' });
  }
}
