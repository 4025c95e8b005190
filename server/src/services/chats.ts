// Chat playground history: each user's conversations with their messages. Every operation takes
// the caller's id, and a chat of someone else is "not found" (its existence is not revealed).
import { randomUUID } from 'node:crypto';
import type { Chat, ChatMessage, ChatSettings, ChatSummary, CreateChatRequest, UpdateChatRequest } from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import { chatsRepository } from '../db/repositories/chats.js';
import type { Database } from '../db/schema.js';
import type { ChatRow } from '../db/tables/chats.js';
import { AppError } from './errors.js';

const LIST_LIMIT = 500;
const DEFAULT_TITLE = 'New chat';

/** Pure: what search matches — the title and every message's text and reasoning, lower-cased. */
export function searchText(title: string, messages: ChatMessage[]): string {
  const parts = [title];
  for (const m of messages) {
    parts.push(m.content);
    if (m.reasoning) parts.push(m.reasoning);
  }
  return parts.join('\n').toLowerCase();
}

function toChat(row: ChatRow): Chat {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    settings: JSON.parse(row.settings) as ChatSettings,
    messages: JSON.parse(row.messages) as ChatMessage[],
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function createChatsService(deps: { db: Kysely<Database>; now?: () => Date }) {
  const repo = chatsRepository(deps.db);
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();

  function toRow(userId: string, chat: Chat): ChatRow {
    return {
      id: chat.id,
      user_id: userId,
      title: chat.title,
      model: chat.model,
      settings: JSON.stringify(chat.settings),
      messages: JSON.stringify(chat.messages),
      message_count: chat.messages.length,
      search_text: searchText(chat.title, chat.messages),
      created_at: chat.created_at,
      updated_at: chat.updated_at,
    };
  }

  async function get(userId: string, id: string): Promise<Chat> {
    const row = await repo.find(userId, id);
    if (!row) throw new AppError('not_found', 'Chat not found');
    return toChat(row);
  }

  return {
    async list(userId: string, query?: string): Promise<ChatSummary[]> {
      const needle = query?.trim().toLowerCase() || undefined;
      const rows = await repo.list(userId, needle, LIST_LIMIT);
      return rows.map((r) => ({ ...r, message_count: Number(r.message_count) }));
    },

    get,

    async create(userId: string, input: CreateChatRequest): Promise<Chat> {
      const at = now();
      const chat: Chat = {
        id: randomUUID(),
        title: input.title ?? DEFAULT_TITLE,
        model: input.model ?? null,
        settings: input.settings ?? {},
        messages: input.messages ?? [],
        created_at: at,
        updated_at: at,
      };
      await repo.insert(toRow(userId, chat));
      return chat;
    },

    async update(userId: string, id: string, patch: UpdateChatRequest): Promise<Chat> {
      const current = await get(userId, id);
      const next: Chat = {
        ...current,
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.model === undefined ? {} : { model: patch.model }),
        ...(patch.settings === undefined ? {} : { settings: patch.settings }),
        ...(patch.messages === undefined ? {} : { messages: patch.messages }),
        updated_at: now(),
      };
      // Deleted meanwhile (another tab): the same 404 as a read.
      if (!(await repo.replace(toRow(userId, next)))) throw new AppError('not_found', 'Chat not found');
      return next;
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await repo.delete(userId, id))) throw new AppError('not_found', 'Chat not found');
    },
  };
}

export type ChatsService = ReturnType<typeof createChatsService>;
