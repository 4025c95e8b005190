import type { Route, RouteTarget } from '@mlx-manager/contract';

/** Pure: routes in the order the gateway tries them (higher priority first; ties keep their order). */
export function byPriority(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => b.priority - a.priority);
}

/** Pure: the list with item `index` moved by `delta` places (clamped). */
export function moved<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = Math.max(0, Math.min(list.length - 1, index + delta));
  const out = [...list];
  const [item] = out.splice(index, 1);
  if (item !== undefined) out.splice(to, 0, item);
  return out;
}

/**
 * Pure: priorities that make `ordered` the gateway's order — 10 apart, the first highest — and the
 * routes whose priority must change to get there (the rest stay untouched).
 */
export function priorityChanges(ordered: readonly Route[]): { id: string; priority: number }[] {
  const top = ordered.length * 10;
  return ordered.map((r, i) => ({ id: r.id, priority: top - i * 10 })).filter((c, i) => ordered[i]!.priority !== c.priority);
}

/** Pure: a target as one string (for pickers and keyed lists). */
export function targetKey(t: RouteTarget): string {
  return 'profile_id' in t ? `profile:${t.profile_id}` : `provider:${t.provider_id}:${t.model ?? ''}`;
}

/** Pure: the target a picker value names (the inverse of targetKey). */
export function targetFromKey(key: string): RouteTarget | null {
  const [kind, id, ...rest] = key.split(':');
  if (kind === 'profile' && id) return { profile_id: id };
  if (kind === 'provider' && id) {
    const model = rest.join(':');
    return model ? { provider_id: id, model } : { provider_id: id };
  }
  return null;
}
