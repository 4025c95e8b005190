import type { Selectable } from 'kysely';

/** Chat playground conversations, one user's each. `settings` and `messages` are JSON. */
export interface ChatsTable {
  id: string;
  user_id: string;
  title: string;
  model: string | null;
  settings: string;
  messages: string;
  message_count: number;
  search_text: string;
  created_at: string;
  updated_at: string;
}

export interface ChatsTables {
  chats: ChatsTable;
}

export type ChatRow = Selectable<ChatsTable>;
