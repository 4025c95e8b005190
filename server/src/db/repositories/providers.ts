import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { ProviderRow } from '../tables/gateway.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Plain data access for `providers`; sealing and validation live in services/providers.ts. */
export function providersRepository(db: Db) {
  return {
    async insert(row: ProviderRow): Promise<void> {
      await db.insertInto('providers').values(row).execute();
    },
    async list(): Promise<ProviderRow[]> {
      return db.selectFrom('providers').selectAll().orderBy('name').execute();
    },
    async findById(id: string): Promise<ProviderRow | undefined> {
      return db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async findByName(name: string): Promise<ProviderRow | undefined> {
      return db.selectFrom('providers').selectAll().where('name', '=', name).executeTakeFirst();
    },
    async replace(row: ProviderRow): Promise<void> {
      const { id, created_at: _created, ...rest } = row;
      await db.updateTable('providers').set(rest).where('id', '=', id).execute();
    },
    async delete(id: string): Promise<boolean> {
      const res = await db.deleteFrom('providers').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}

export type ProvidersRepository = ReturnType<typeof providersRepository>;
