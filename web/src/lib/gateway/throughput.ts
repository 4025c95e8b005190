import type { AuditRecord } from '@mlx-manager/contract';

/**
 * Pure: generation speed per local profile from its served requests — output tokens over the time
 * after the first token (the prompt's processing excluded). Profiles with no usable record are absent.
 */
export function tokensPerSecond(records: readonly AuditRecord[]): Map<string, number> {
  const sums = new Map<string, { tokens: number; ms: number }>();
  for (const r of records) {
    if (r.backend !== 'local' || r.target_id === null || r.status >= 400 || !r.tokens_out || r.ttft_ms === null) continue;
    const ms = r.duration_ms - r.ttft_ms;
    if (ms <= 0) continue;
    const s = sums.get(r.target_id) ?? { tokens: 0, ms: 0 };
    s.tokens += r.tokens_out;
    s.ms += ms;
    sums.set(r.target_id, s);
  }
  return new Map([...sums].map(([id, s]) => [id, Math.round((s.tokens / s.ms) * 1000 * 10) / 10]));
}
