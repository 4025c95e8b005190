// OpenAI chat chunks → Anthropic stream events, for a streamed `/v1/messages` answered by an
// OpenAI-speaking backend. Stateful, pure. Rules: docs/gateway-protocols.md
// ("OpenAI stream → Anthropic stream").
import type { AnthropicResponseBlock, AnthropicStreamEvent } from './anthropic/types.js';
import { anthropicErrorBody } from './errors.js';
import { newAnthropicToolUseId } from './ids.js';
import { anthropicMessageId, type OpenAiToAnthropicOptions } from './openai-to-anthropic-response.js';
import type { OpenAiChatChunk, OpenAiErrorBody, OpenAiFinishReason, OpenAiToolCallDelta, OpenAiUsage } from './openai/types.js';
import { anthropicStopFor, matchedStopSequence } from './stop-reasons.js';
import type { StreamTranslator } from './stream-translator.js';
import { ThinkTagStream } from './think-tags.js';
import { anthropicToolId } from './tool-input.js';
import { anthropicUsageFrom } from './usage.js';

export interface OpenAiToAnthropicStreamOptions extends OpenAiToAnthropicOptions {
  /** Prompt size announced in `message_start` before the upstream reports it (an estimate, or 0). */
  inputTokens?: number;
}

type OpenBlock = { kind: 'thinking' | 'text'; index: number } | { kind: 'tool'; index: number };

/** A tool call the upstream began by index but has not named yet: nothing can be emitted for it. */
interface PendingTool {
  id: string | undefined;
  args: string;
}

export function openAiToAnthropicStream(options: OpenAiToAnthropicStreamOptions = {}): StreamTranslator<OpenAiChatChunk | OpenAiErrorBody, AnthropicStreamEvent> {
  const newToolUseId = options.newToolUseId ?? newAnthropicToolUseId;
  const thinkTags = options.thinkTags === true ? new ThinkTagStream() : null;
  let started = false;
  let finished = false;
  let nextIndex = 0;
  let open: OpenBlock | null = null;
  /** OpenAI tool index → the Anthropic block it streams into (and the upstream id, to spot reused indexes). */
  const tools = new Map<number, { index: number; id: string | undefined }>();
  const pending = new Map<number, PendingTool>();
  let sawTool = false;
  let finish: { reason: OpenAiFinishReason | null; matched: string | null } | null = null;
  let usage: OpenAiUsage | null = null;

  function start(chunk: OpenAiChatChunk | null, out: AnthropicStreamEvent[]): void {
    if (started) return;
    started = true;
    out.push({
      type: 'message_start',
      message: {
        id: anthropicMessageId(chunk?.id),
        type: 'message',
        role: 'assistant',
        model: options.model ?? chunk?.model ?? '',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: options.inputTokens ?? 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    });
  }

  function closeOpen(out: AnthropicStreamEvent[]): void {
    if (open === null) return;
    out.push({ type: 'content_block_stop', index: open.index });
    open = null;
  }

  function openBlock(block: OpenBlock, contentBlock: AnthropicResponseBlock, out: AnthropicStreamEvent[]): void {
    closeOpen(out);
    open = block;
    out.push({ type: 'content_block_start', index: block.index, content_block: contentBlock });
  }

  function appendText(kind: 'thinking' | 'text', piece: string, out: AnthropicStreamEvent[]): void {
    if (piece === '') return;
    if (open?.kind !== kind) {
      const index = nextIndex++;
      openBlock({ kind, index }, kind === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' }, out);
    }
    const index = (open as OpenBlock).index;
    out.push({ type: 'content_block_delta', index, delta: kind === 'thinking' ? { type: 'thinking_delta', thinking: piece } : { type: 'text_delta', text: piece } });
  }

  function appendContent(content: string, out: AnthropicStreamEvent[]): void {
    if (thinkTags === null) return appendText('text', content, out);
    const split = thinkTags.push(content);
    appendText('thinking', split.thinking, out);
    appendText('text', split.text, out);
  }

  function appendToolDelta(delta: OpenAiToolCallDelta, out: AnthropicStreamEvent[]): void {
    const known = tools.get(delta.index);
    const name = delta.function?.name;
    const fragment = delta.function?.arguments ?? '';
    // Some servers number every call 0: a new id with a name at a known index is a new call.
    const isNewCall = known === undefined || (name !== undefined && name !== '' && delta.id !== undefined && delta.id !== known.id);
    if (!isNewCall) {
      if (fragment !== '') out.push({ type: 'content_block_delta', index: known.index, delta: { type: 'input_json_delta', partial_json: fragment } });
      return;
    }
    const waiting = pending.get(delta.index) ?? { id: undefined, args: '' };
    if (name === undefined || name === '') {
      pending.set(delta.index, { id: delta.id ?? waiting.id, args: waiting.args + fragment });
      return;
    }
    pending.delete(delta.index);
    sawTool = true;
    const id = delta.id ?? waiting.id;
    const index = nextIndex++;
    tools.set(delta.index, { index, id });
    openBlock({ kind: 'tool', index }, { type: 'tool_use', id: anthropicToolId(id, newToolUseId), name, input: {} }, out);
    const args = waiting.args + fragment;
    if (args !== '') out.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: args } });
  }

  function close(out: AnthropicStreamEvent[]): void {
    if (thinkTags !== null) {
      const rest = thinkTags.flush();
      appendText('thinking', rest.thinking, out);
      appendText('text', rest.text, out);
    }
    closeOpen(out);
    const stop = anthropicStopFor(finish?.reason, sawTool, finish?.matched ?? null);
    const counted = anthropicUsageFrom(usage);
    out.push({
      type: 'message_delta',
      delta: stop,
      usage: usage === null ? { input_tokens: options.inputTokens ?? 0, output_tokens: 0 } : counted,
    });
    out.push({ type: 'message_stop' });
    finished = true;
  }

  return {
    push(input) {
      if (finished) return [];
      const out: AnthropicStreamEvent[] = [];
      if ('error' in input) {
        const e = input.error;
        // mlx_lm and others send `{error: "text"}` rather than OpenAI's object.
        const message = typeof e === 'string' ? e : (e?.message ?? 'upstream error');
        const type = typeof e === 'string' ? undefined : e?.type;
        out.push(anthropicErrorBody({ status: 500, message, code: null, ...(type ? { type } : {}), source: 'upstream' }));
        finished = true;
        return out;
      }
      start(input, out);
      if (input.usage) usage = input.usage;
      const choices = input.choices ?? [];
      const choice = choices.find((c) => c.index === 0) ?? choices[0];
      if (choice !== undefined) {
        const delta = choice.delta ?? {};
        appendText('thinking', delta.reasoning_content ?? delta.reasoning ?? '', out);
        appendContent(delta.content ?? delta.refusal ?? '', out);
        for (const call of delta.tool_calls ?? []) appendToolDelta(call, out);
        if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
          finish = { reason: choice.finish_reason, matched: matchedStopSequence(choice.stop_reason, options.stopSequences ?? []) };
        }
      }
      // The stop reason waits for the usage (a later chunk with `choices: []`) or the end of the stream.
      if (finish !== null && usage !== null) close(out);
      return out;
    },
    end() {
      if (finished) return [];
      const out: AnthropicStreamEvent[] = [];
      start(null, out);
      close(out);
      return out;
    },
  };
}
