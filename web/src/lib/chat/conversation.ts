/**
 * Pure: a chat's stored messages → the OpenAI `messages` of the next request. Attachments of the
 * turn being sent travel in full (pictures as `image_url` data URLs, text files as text parts);
 * earlier turns are re-sent as their text, tool rounds as assistant `tool_calls` + `tool` results.
 */
import type { ChatMessage, ChatSettings } from '@mlx-manager/contract';

export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface OutgoingMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | ContentPart[] | null;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** What the turn being sent carries besides its text (full data, not stored). */
export interface PendingAttachment {
  kind: 'image' | 'video' | 'text';
  name: string;
  /** Images: one data URL; video: the sampled frames' data URLs. */
  images?: string[];
  text?: string;
}

/** Pure: a user turn's content — text alone, or parts when something is attached. */
export function userContent(text: string, attachments: readonly PendingAttachment[]): string | ContentPart[] {
  if (attachments.length === 0) return text;
  const parts: ContentPart[] = [{ type: 'text', text }];
  for (const a of attachments) {
    if (a.kind === 'text') parts.push({ type: 'text', text: `[File: ${a.name}]\n${a.text ?? ''}` });
    else {
      if (a.kind === 'video') parts.push({ type: 'text', text: `[Video: ${a.name}, ${a.images?.length ?? 0} frames in order]` });
      for (const url of a.images ?? []) parts.push({ type: 'image_url', image_url: { url } });
    }
  }
  return parts;
}

/** Pure: text files stay part of later turns (they are text); pictures are not re-sent. */
function storedUserContent(m: ChatMessage): string {
  const files = (m.attachments ?? []).filter((a) => a.kind === 'text' && a.text !== undefined);
  return [m.content, ...files.map((a) => `[File: ${a.name}]\n${a.text ?? ''}`)].join('\n\n');
}

/**
 * Pure: the request messages for one column of the chat (`column` 0 or 1 in a comparison):
 * system prompt, then every earlier turn, then the new user turn with its attachments.
 */
export function buildMessages(history: readonly ChatMessage[], column: number, systemPrompt: string | null | undefined, next?: { text: string; attachments: readonly PendingAttachment[] }): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  if (systemPrompt && systemPrompt.trim() !== '') out.push({ role: 'system', content: systemPrompt });
  for (const m of history) {
    if (m.role === 'user') out.push({ role: 'user', content: storedUserContent(m) });
    else if (m.role === 'assistant' && (m.column ?? 0) === column) {
      const calls = m.tool_calls ?? [];
      if (calls.length > 0) {
        out.push({ role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments || '{}' } })) });
        for (const c of calls) out.push({ role: 'tool', tool_call_id: c.id, content: c.error ? `Error: ${c.error}` : (c.result ?? '') });
      }
      if (m.content !== '' || calls.length === 0) out.push({ role: 'assistant', content: m.content });
    }
  }
  if (next) out.push({ role: 'user', content: userContent(next.text, next.attachments) });
  return out;
}

/** Pure: the sampling fields of a request from the chat's settings (unset ones are left out). */
export function samplingParams(settings: ChatSettings): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof settings.temperature === 'number') out.temperature = settings.temperature;
  if (typeof settings.max_tokens === 'number') out.max_tokens = settings.max_tokens;
  if (typeof settings.top_p === 'number') out.top_p = settings.top_p;
  return out;
}

/** Pure: a title from the first message (first line, at most 60 characters). */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  if (line === '') return 'New chat';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
