/**
 * Reconnect delay of the event stream after `attempt` failed tries in a row (0 = first retry):
 * doubling from `baseMs`, capped at `maxMs`, so a restarted server is found again quickly and a
 * dead one is not hammered.
 */
export function backoffDelay(attempt: number, baseMs = 1000, maxMs = 30_000): number {
  if (!Number.isFinite(attempt) || attempt < 0) return baseMs;
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}
