/**
 * The open chat of the chat page: its messages and settings, the answers streaming now (one per
 * column; two when comparing models), and what Send, Stop, Retry and Edit do. Saved to
 * `/api/chats` when a turn starts and when it ends, so a reload shows the history.
 */
import type { Chat, ChatAttachment, ChatMessage, ChatSettings } from '@mlx-manager/contract';
import { api, messageOf } from '$lib/api/index.js';
import { buildMessages, samplingParams, titleFrom, type PendingAttachment } from './conversation.js';
import { createMcpClient, toOpenAiTools, type McpTool } from './mcp-client.js';
import type { Prepared } from './media.js';
import { runTurn, type TurnResult, type TurnView } from './run-turn.js';

export const DEFAULT_TOOL_ROUNDS = 4;

export interface LiveAnswer {
  column: number;
  model: string;
  view: TurnView | null;
  /** performance.now() when the request left: the page shows "loading model" time from it. */
  startedAt: number;
}

const emptyChat = (): Chat => ({ id: '', title: 'New chat', model: null, settings: {}, messages: [], created_at: '', updated_at: '' });

const newId = () => crypto.randomUUID();
/** A timestamp string (not reactive state: a plain value stored in a message). */
const nowIso = () => new Date(Date.now()).toISOString();

function storedAttachment(p: Prepared): ChatAttachment {
  const a: ChatAttachment = { kind: p.pending.kind, name: p.pending.name };
  if (p.thumbnail) a.thumbnail = p.thumbnail;
  if (p.pending.kind === 'text' && p.pending.text !== undefined) a.text = p.pending.text;
  if (p.frames !== undefined) a.frames = p.frames;
  return a;
}

function answerMessage(r: TurnResult, column: number, model: string, compare: boolean): ChatMessage {
  const base = { id: newId(), created_at: nowIso(), model, ...(compare ? { column } : {}) };
  if (r.error && r.content === '' && r.toolCalls.length === 0) return { ...base, role: 'error', content: r.error };
  const m: ChatMessage = { ...base, role: 'assistant', content: r.error ? `${r.content}\n\n*${r.error}*` : r.notice ? `${r.content}\n\n*${r.notice}*` : r.content };
  if (r.reasoning) {
    m.reasoning = r.reasoning;
    if (r.reasoningMs !== null) m.reasoning_ms = Math.round(r.reasoningMs);
  }
  if (r.toolCalls.length > 0) m.tool_calls = r.toolCalls;
  if (r.stats) m.stats = { ttft_ms: r.stats.ttftMs === null ? null : Math.round(r.stats.ttftMs), duration_ms: Math.round(r.stats.durationMs), tokens: r.stats.tokens, tokens_per_second: r.stats.tokensPerSecond };
  if (r.stopped) m.stopped = true;
  return m;
}

export class ChatSession {
  chat = $state.raw<Chat>(emptyChat());
  live = $state.raw<LiveAnswer[]>([]);
  running = $state(false);
  /** Saving or loading failed: shown above the composer. */
  problem = $state<string | undefined>();
  tools = $state.raw<McpTool[] | null>(null);
  toolsProblem = $state<string | undefined>();

  /** Called when a draft becomes a saved chat (the page refreshes its list). */
  onCreated: (() => void) | undefined;

  #controller: AbortController | null = null;
  /** The attachments of the last sent turn, in full, for Retry (history keeps only previews). */
  #lastPending: { messageId: string; attachments: PendingAttachment[] } | null = null;
  readonly #mcp = createMcpClient();

  get compareModel(): string | null {
    return this.chat.settings.compare_model ?? null;
  }

  async loadTools(): Promise<void> {
    try {
      this.tools = await this.#mcp.listTools();
      this.toolsProblem = undefined;
    } catch (error) {
      this.tools = null;
      this.toolsProblem = `Tools are unavailable: ${messageOf(error)}`;
    }
  }

  newChat(model: string | null, settings: ChatSettings = {}): void {
    this.stop();
    this.chat = { ...emptyChat(), model, settings };
    this.problem = undefined;
  }

  async open(id: string): Promise<void> {
    this.stop();
    try {
      this.chat = await api.chats.get(id);
      this.problem = undefined;
    } catch (error) {
      this.chat = emptyChat();
      this.problem = `Could not open the chat: ${messageOf(error)}`;
    }
  }

  /** Changes the model, settings or title; saved at once for a chat that exists. */
  async change(patch: { model?: string | null; settings?: ChatSettings; title?: string }): Promise<void> {
    this.chat = { ...this.chat, ...patch };
    if (this.chat.id) await this.#save(patch);
  }

  async #save(patch: Parameters<typeof api.chats.update>[1]): Promise<void> {
    try {
      if (!this.chat.id) {
        const { model, settings, messages, title } = this.chat;
        this.chat = await api.chats.create({ title, model, settings, messages });
        this.onCreated?.();
      } else {
        const saved = await api.chats.update(this.chat.id, patch);
        this.chat = { ...this.chat, updated_at: saved.updated_at };
      }
      this.problem = undefined;
    } catch (error) {
      this.problem = `Could not save the chat: ${messageOf(error)}`;
    }
  }

  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
  }

  /** Sends a new turn; `replaceFrom` (edit and resend) drops that message and everything after it. */
  async send(text: string, prepared: Prepared[], replaceFrom?: string): Promise<void> {
    const model = this.chat.model;
    if (this.running || !model) return;
    let history = this.chat.messages;
    if (replaceFrom) {
      const at = history.findIndex((m) => m.id === replaceFrom);
      if (at !== -1) history = history.slice(0, at);
    }
    const user: ChatMessage = { id: newId(), role: 'user', content: text, created_at: nowIso() };
    if (prepared.length > 0) user.attachments = prepared.map(storedAttachment);
    const pending = prepared.map((p) => p.pending);
    this.#lastPending = { messageId: user.id, attachments: pending };
    const title = this.chat.title === 'New chat' && history.length === 0 ? titleFrom(text) : this.chat.title;
    this.chat = { ...this.chat, title, messages: [...history, user] };
    // Busy from the click on (Stop shows, a second Send is ignored), while the turn is saved.
    this.running = true;
    this.live = this.#models().map((m, column) => ({ column, model: m, view: null, startedAt: performance.now() }));
    // Stop (or opening another chat) during the save already counts.
    const controller = new AbortController();
    this.#controller = controller;
    await this.#save({ title, messages: this.chat.messages });
    if (controller.signal.aborted) {
      // Stopped before anything was asked (the chat may not even be the open one any more).
      this.running = false;
      this.live = [];
      return;
    }
    await this.#answer(history, text, pending, controller);
  }

  /** Asks again for the last user turn (its answers are replaced). */
  async retry(): Promise<void> {
    if (this.running) return;
    const messages = this.chat.messages;
    const at = messages.findLastIndex((m) => m.role === 'user');
    const user = messages[at];
    if (!user) return;
    const pending =
      this.#lastPending?.messageId === user.id
        ? this.#lastPending.attachments
        : (user.attachments ?? []).filter((a) => a.kind === 'text').map((a): PendingAttachment => ({ kind: 'text', name: a.name, text: a.text ?? '' }));
    this.chat = { ...this.chat, messages: messages.slice(0, at + 1) };
    await this.#answer(messages.slice(0, at), user.content, pending, new AbortController());
  }

  /** The model of each column: the chat's, and the comparison's when set. */
  #models(): string[] {
    return [this.chat.model, this.chat.settings.compare_model].filter((m): m is string => !!m);
  }

  async #answer(history: ChatMessage[], text: string, pending: PendingAttachment[], controller: AbortController): Promise<void> {
    const settings = this.chat.settings;
    const models = this.#models();
    const compare = models.length > 1;
    const tools = settings.tools_enabled && this.tools ? toOpenAiTools(this.tools) : null;
    const asked = this.chat;
    this.#controller = controller;
    this.running = true;
    this.live = models.map((model, column) => ({ column, model, view: null, startedAt: performance.now() }));
    try {
      const results = await Promise.all(
        models.map((model, column) =>
          runTurn({
            model,
            messages: buildMessages(history, column, settings.system_prompt, { text, attachments: pending }),
            params: samplingParams(settings),
            tools,
            maxRounds: settings.max_tool_rounds ?? DEFAULT_TOOL_ROUNDS,
            callTool: (name, args, signal) => this.#mcp.callTool(name, args, signal),
            signal: controller.signal,
            onUpdate: (view) => {
              this.live = this.live.map((l) => (l.column === column ? { ...l, view } : l));
            },
          }),
        ),
      );
      const answers = results.map((r, column) => answerMessage(r, column, models[column] as string, compare));
      if (this.chat.id === asked.id) {
        this.chat = { ...this.chat, messages: [...this.chat.messages, ...answers] };
        await this.#save({ messages: this.chat.messages });
      } else if (asked.id) {
        // Another chat was opened meanwhile (which stopped this one): file the answers where they belong.
        await api.chats.update(asked.id, { messages: [...asked.messages, ...answers] }).catch((error: unknown) => {
          this.problem = `Could not save the earlier chat: ${messageOf(error)}`;
        });
      }
    } finally {
      this.running = false;
      this.live = [];
      if (this.#controller === controller) this.#controller = null;
    }
  }

  async remove(id: string): Promise<void> {
    await api.chats.remove(id);
    if (this.chat.id === id) this.newChat(this.chat.model, this.chat.settings);
  }
}
