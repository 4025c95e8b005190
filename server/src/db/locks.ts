import { PostgresAdapter, sql, type Transaction } from 'kysely';

/** Well-known advisory lock keys (one per policy that reads then writes across rows). */
export const LOCK_KEYS = { accounts: 72_001 } as const;

/**
 * Serialises transactions that check an invariant spanning rows (the first user becomes admin,
 * the last admin stays). On PostgreSQL several gateway instances may run them at once, so take a
 * transaction-scoped advisory lock; SQLite already runs one transaction at a time on its single
 * connection.
 */
export async function lockForTransaction<DB>(trx: Transaction<DB>, key: number): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
  }
}
