/**
 * Lets an error through once per `intervalMs` per message: a failure that repeats on every batch
 * or every tick (a database that stays down, a writer thread that died) says so in the log once a
 * minute, not many times a second. Pure apart from the clock it is given.
 */
export function onceEvery(intervalMs: number, report: (err: unknown) => void, now: () => number = Date.now): (err: unknown) => void {
  const last = new Map<string, number>();
  return (err) => {
    const key = err instanceof Error ? err.message : String(err);
    const at = now();
    const previous = last.get(key);
    if (previous !== undefined && at - previous < intervalMs) return;
    // Bounded: messages that carry ids or times must not grow it without limit.
    if (last.size >= 100) last.clear();
    last.set(key, at);
    report(err);
  };
}
