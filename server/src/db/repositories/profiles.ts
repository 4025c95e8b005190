import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { ProfileRow } from '../tables/profiles.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Plain data access for `profiles`; validation, ports and defaults live in services/profiles.ts. */
export function profilesRepository(db: Db) {
  return {
    async insert(row: ProfileRow): Promise<void> {
      await db.insertInto('profiles').values(row).execute();
    },
    async list(): Promise<ProfileRow[]> {
      return db.selectFrom('profiles').selectAll().orderBy('created_at').orderBy('id').execute();
    },
    async findById(id: string): Promise<ProfileRow | undefined> {
      return db.selectFrom('profiles').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async findByName(name: string): Promise<ProfileRow | undefined> {
      return db.selectFrom('profiles').selectAll().where('name', '=', name).executeTakeFirst();
    },
    async findByPort(port: number): Promise<ProfileRow | undefined> {
      return db.selectFrom('profiles').selectAll().where('port', '=', port).executeTakeFirst();
    },
    async usedPorts(): Promise<number[]> {
      return (await db.selectFrom('profiles').select('port').execute()).map((r) => Number(r.port));
    },
    async replace(row: ProfileRow): Promise<void> {
      const { id, created_at: _created, ...rest } = row;
      await db.updateTable('profiles').set(rest).where('id', '=', id).execute();
    },
    async delete(id: string): Promise<boolean> {
      const res = await db.deleteFrom('profiles').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}

export type ProfilesRepository = ReturnType<typeof profilesRepository>;
