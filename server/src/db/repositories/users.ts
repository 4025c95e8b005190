import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { UserRow, UsersTable } from '../tables/users.js';

type Db = Kysely<Database> | Transaction<Database>;

export type NewUser = UserRow;
export type UserPatch = Updateable<Omit<UsersTable, 'id' | 'created_at'>>;

/** Plain data access for `users`; policy (first admin, last admin) lives in services/users.ts. */
export function usersRepository(db: Db) {
  return {
    async insert(user: NewUser): Promise<void> {
      await db.insertInto('users').values(user).execute();
    },
    async findById(id: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async findByEmail(email: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    },
    /** Newest first, like the original's admin page. */
    async list(): Promise<UserRow[]> {
      return db.selectFrom('users').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
    },
    async count(): Promise<number> {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async countByStatus(status: UsersTable['status']): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('status', '=', status)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** Approved admins other than `exceptId`: the ones who would remain if `exceptId` lost the role. */
    async countActiveAdmins(exceptId?: string): Promise<number> {
      let q = db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('is_admin', '=', 1)
        .where('status', '=', 'approved');
      if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
      const row = await q.executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async update(id: string, patch: UserPatch): Promise<UserRow | undefined> {
      if (Object.keys(patch).length > 0) await db.updateTable('users').set(patch).where('id', '=', id).execute();
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** Ends every session of the user: tokens of an older epoch are refused. */
    async bumpSessionEpoch(id: string): Promise<void> {
      await db.updateTable('users').set((eb) => ({ session_epoch: eb('session_epoch', '+', 1) })).where('id', '=', id).execute();
    },
    async delete(id: string): Promise<boolean> {
      const res = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
