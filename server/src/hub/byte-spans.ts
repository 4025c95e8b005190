/**
 * Sets of byte positions as sorted, merged, half-open spans `[start, end)`: which parts of a
 * partial file are on disk, and which are still missing (pure).
 */

export type Span = readonly [start: number, end: number];

/** `spans` plus `[start, end)`, still sorted and merged. */
export function addSpan(spans: readonly Span[], start: number, end: number): Span[] {
  if (end <= start) return [...spans];
  const out: Span[] = [];
  let s = start;
  let e = end;
  let placed = false;
  for (const [a, b] of spans) {
    if (b < s) out.push([a, b]);
    else if (a > e) {
      if (!placed) {
        out.push([s, e]);
        placed = true;
      }
      out.push([a, b]);
    } else {
      // Overlapping or touching: grow the new span over it.
      s = Math.min(s, a);
      e = Math.max(e, b);
    }
  }
  if (!placed) out.push([s, e]);
  return out;
}

/** The parts of `[0, size)` that `spans` do not cover. */
export function missingSpans(spans: readonly Span[], size: number): Span[] {
  const out: Span[] = [];
  let at = 0;
  for (const [a, b] of spans) {
    if (a > at) out.push([at, Math.min(a, size)]);
    at = Math.max(at, b);
    if (at >= size) break;
  }
  if (at < size) out.push([at, size]);
  return out;
}

export function coveredBytes(spans: readonly Span[]): number {
  return spans.reduce((n, [a, b]) => n + (b - a), 0);
}

/** How many bytes from the start of the file are present without a gap. */
export function prefixEnd(spans: readonly Span[]): number {
  const first = spans[0];
  return first !== undefined && first[0] === 0 ? first[1] : 0;
}

/** True when `spans` is a valid set inside `[0, size)`: integers, sorted, not touching. */
export function isSpanSet(spans: unknown, size: number): spans is Span[] {
  if (!Array.isArray(spans)) return false;
  let last = -1;
  for (const s of spans as unknown[]) {
    if (!Array.isArray(s) || s.length !== 2) return false;
    const [a, b] = s as unknown[];
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return false;
    if ((a as number) <= last || (a as number) >= (b as number) || (b as number) > size) return false;
    last = b as number;
  }
  return true;
}
