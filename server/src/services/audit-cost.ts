import type { AuditRecord, ModelPrice } from '@mlx-manager/contract';

/** The fields of a record its cost depends on. */
export type Costable = Pick<AuditRecord, 'backend' | 'target_id' | 'target_model' | 'tokens_in' | 'tokens_out'>;

/** Finds the price of a provider model (undefined: none set). */
export type PriceLookup = (providerId: string, model: string) => Promise<ModelPrice | undefined>;

/**
 * Pure: what a request cost in US dollars. Local models and requests that reached no backend cost
 * nothing; a provider request is priced per million tokens, and is null (unknown, never a guessed
 * zero) when a price it needs is not set.
 */
export function recordCost(r: Costable, price: ModelPrice | undefined): number | null {
  if (r.backend === null || r.backend === 'local') return 0;
  const tokensIn = r.tokens_in ?? 0;
  const tokensOut = r.tokens_out ?? 0;
  if (tokensIn === 0 && tokensOut === 0) return 0;
  if (!price) return null;
  if (tokensIn > 0 && price.input_per_mtok === null) return null;
  if (tokensOut > 0 && price.output_per_mtok === null) return null;
  return (tokensIn * (price.input_per_mtok ?? 0) + tokensOut * (price.output_per_mtok ?? 0)) / 1_000_000;
}

/** Costs for many records with one price lookup per (provider, model), all asked at once. */
export async function costsOf(records: readonly Costable[], lookup: PriceLookup): Promise<(number | null)[]> {
  const keyOf = (r: Costable): string | null =>
    r.backend === null || r.backend === 'local' || r.target_id === null || r.target_model === null ? null : `${r.target_id}\n${r.target_model}`;
  const asked = new Map<string, Promise<ModelPrice | undefined>>();
  for (const r of records) {
    const key = keyOf(r);
    if (key !== null && !asked.has(key)) asked.set(key, lookup(r.target_id!, r.target_model!));
  }
  const prices = new Map<string, ModelPrice | undefined>();
  for (const [key, price] of asked) prices.set(key, await price);
  return records.map((r) => {
    const key = keyOf(r);
    return recordCost(r, key === null ? undefined : prices.get(key));
  });
}
