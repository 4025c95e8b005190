import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { RouteRow } from '../tables/gateway.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Plain data access for `routes`; pattern checks live in services/routes.ts. */
export function routesRepository(db: Db) {
  return {
    async insert(row: RouteRow): Promise<void> {
      await db.insertInto('routes').values(row).execute();
    },
    /** Creation order: the last tie-breaker of routing. */
    async list(): Promise<RouteRow[]> {
      return db.selectFrom('routes').selectAll().orderBy('created_at').orderBy('id').execute();
    },
    async findById(id: string): Promise<RouteRow | undefined> {
      return db.selectFrom('routes').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async replace(row: RouteRow): Promise<void> {
      const { id, created_at: _created, ...rest } = row;
      await db.updateTable('routes').set(rest).where('id', '=', id).execute();
    },
    async delete(id: string): Promise<boolean> {
      const res = await db.deleteFrom('routes').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}

export type RoutesRepository = ReturnType<typeof routesRepository>;
