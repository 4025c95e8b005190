import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { ChatRow } from '../tables/chats.js';

/** Pure: `text` as a LIKE pattern matching it anywhere, with % _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Plain data access for `chats`; every read and write is scoped to one user. */
export function chatsRepository(db: Kysely<Database>) {
  const summaryColumns = ['id', 'title', 'model', 'message_count', 'created_at', 'updated_at'] as const;
  return {
    async insert(row: ChatRow): Promise<void> {
      await db.insertInto('chats').values(row).execute();
    },
    /** Newest first; `needle` (lower-cased) matches the title or any message text. */
    async list(userId: string, needle: string | undefined, limit: number) {
      let query = db.selectFrom('chats').select(summaryColumns).where('user_id', '=', userId);
      if (needle) query = query.where(sql<boolean>`search_text like ${containsPattern(needle)} escape '\\'`);
      return query.orderBy('updated_at', 'desc').orderBy('id').limit(limit).execute();
    },
    async find(userId: string, id: string): Promise<ChatRow | undefined> {
      return db.selectFrom('chats').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    },
    async replace(row: ChatRow): Promise<boolean> {
      const { id, user_id, created_at: _created, ...rest } = row;
      const res = await db.updateTable('chats').set(rest).where('id', '=', id).where('user_id', '=', user_id).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async delete(userId: string, id: string): Promise<boolean> {
      const res = await db.deleteFrom('chats').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
