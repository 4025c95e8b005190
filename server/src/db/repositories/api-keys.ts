import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { ApiKeyRow } from '../tables/api-keys.js';
import type { UserRow } from '../tables/users.js';

type Db = Kysely<Database> | Transaction<Database>;

export function apiKeysRepository(db: Db) {
  return {
    async insert(key: ApiKeyRow): Promise<void> {
      await db.insertInto('api_keys').values(key).execute();
    },
    async listForUser(userId: string): Promise<ApiKeyRow[]> {
      return db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').execute();
    },
    /** The key with this hash and its owner, in one query (hot path of every /v1 request). */
    async findByHashWithOwner(keyHash: string): Promise<{ key: ApiKeyRow; owner: Pick<UserRow, 'id' | 'email' | 'status' | 'is_admin'> } | undefined> {
      const row = await db
        .selectFrom('api_keys')
        .innerJoin('users', 'users.id', 'api_keys.user_id')
        .selectAll('api_keys')
        .select(['users.email as owner_email', 'users.status as owner_status', 'users.is_admin as owner_is_admin'])
        .where('api_keys.key_hash', '=', keyHash)
        .executeTakeFirst();
      if (!row) return undefined;
      const { owner_email, owner_status, owner_is_admin, ...key } = row;
      return { key, owner: { id: key.user_id, email: owner_email, status: owner_status, is_admin: owner_is_admin } };
    },
    async touch(id: string, at: string): Promise<void> {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    /** Deletes only if the key belongs to `userId`: a user can never revoke someone else's key. */
    async deleteForUser(id: string, userId: string): Promise<boolean> {
      const res = await db.deleteFrom('api_keys').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async deleteAllForUser(userId: string): Promise<number> {
      const res = await db.deleteFrom('api_keys').where('user_id', '=', userId).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof apiKeysRepository>;
