import { Chat, ChatList, type ChatSummary, type CreateChatRequest, type UpdateChatRequest } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

const chatPath = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}`;

/** `/api/chats`: the signed-in user's chat playground history. */
export function createChatsApi(client: ApiClient) {
  return {
    list: async (q?: string): Promise<ChatSummary[]> => (await client.request('GET', '/api/chats', { query: { q: q || undefined }, response: ChatList })).chats,
    get: (chatId: string) => client.request('GET', chatPath(chatId), { response: Chat }),
    create: (body: CreateChatRequest) => client.request('POST', '/api/chats', { body, response: Chat }),
    update: (chatId: string, body: UpdateChatRequest) => client.request('PATCH', chatPath(chatId), { body, response: Chat }),
    remove: (chatId: string) => client.request('DELETE', chatPath(chatId)),
  };
}
