// Re-sealing every stored secret under a new master key, in one transaction (used by
// `mlx-manager keys rotate`). The columns come from db/sealed-columns.ts.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { SEALED_COLUMNS, type SealedColumn } from '../db/sealed-columns.js';
import type { SecretBox } from './secret-box.js';

export interface ResealCount {
  table: string;
  column: string;
  /** Rows whose value changed. */
  rows: number;
}

/** Pure: a value of a sealed column re-sealed from `from` to `to`; plaintext in a plain column gets sealed. */
export function resealValue(value: string, col: Pick<SealedColumn, 'json'>, from: SecretBox, to: SecretBox): string {
  if (!col.json) return to.seal(from.openOrPlain(value));
  return JSON.stringify(resealJson(JSON.parse(value) as unknown, from, to));
}

/** Every sealed string inside a JSON document re-sealed; other values untouched. */
function resealJson(node: unknown, from: SecretBox, to: SecretBox): unknown {
  if (typeof node === 'string') return from.isSealed(node) ? to.seal(from.open(node)) : node;
  if (Array.isArray(node)) return node.map((n) => resealJson(n, from, to));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resealJson(v, from, to)]));
  return node;
}

/** Whether this row of the column is one of its sealed ones (all rows unless `onlyIds` says). */
function holdsSealed(col: SealedColumn, id: string): boolean {
  return col.onlyIds === undefined || col.onlyIds.includes(id);
}

async function resealColumn(trx: Transaction<Database>, col: SealedColumn, from: SecretBox, to: SecretBox): Promise<number> {
  const rows = await sql<{ id: string; value: string | null }>`select ${sql.ref(col.idColumn)} as id, ${sql.ref(col.column)} as value from ${sql.table(col.table)}`.execute(trx);
  let changed = 0;
  for (const row of rows.rows) {
    if (row.value === null || !holdsSealed(col, row.id)) continue;
    const next = resealValue(row.value, col, from, to);
    if (next === row.value) continue;
    await sql`update ${sql.table(col.table)} set ${sql.ref(col.column)} = ${next} where ${sql.ref(col.idColumn)} = ${row.id}`.execute(trx);
    changed++;
  }
  return changed;
}

/**
 * Re-seals every listed column from one master key to another, all or nothing: a value sealed
 * under a third key (or altered) aborts the transaction with the secret box's error.
 */
export async function resealAll(db: Kysely<Database>, from: SecretBox, to: SecretBox, columns: readonly SealedColumn[] = SEALED_COLUMNS): Promise<ResealCount[]> {
  return db.transaction().execute(async (trx) => {
    const counts: ResealCount[] = [];
    for (const col of columns) counts.push({ table: col.table, column: col.column, rows: await resealColumn(trx, col, from, to) });
    return counts;
  });
}

/** Whether any stored value is sealed under this box's key (finds a rotation interrupted after its commit). */
export async function anySealedBy(db: Kysely<Database>, box: SecretBox, columns: readonly SealedColumn[] = SEALED_COLUMNS): Promise<boolean> {
  for (const col of columns) {
    const rows = await sql<{ id: string; value: string | null }>`select ${sql.ref(col.idColumn)} as id, ${sql.ref(col.column)} as value from ${sql.table(col.table)}`.execute(db);
    for (const { id, value } of rows.rows) {
      if (value === null || !holdsSealed(col, id)) continue;
      if (col.json ? value.includes(`sb1:${box.keyId}:`) : box.isSealedByThisKey(value)) return true;
    }
  }
  return false;
}
