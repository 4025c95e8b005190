import type { Server, ServerMetricsEvent } from '@mlx-manager/contract';

/** What a profile's tile shows: one state per profile, so a tile never unmounts on restart. */
export type TileState = 'stopped' | 'starting' | 'running' | 'restarting' | 'stopping' | 'failed';

export interface LocalIntent {
  /** A restart was asked for and has not reached `starting`/`ready`/`failed` yet. */
  restarting?: boolean;
  /** The failure (identified by its start time) the user dismissed. */
  dismissedFailure?: string | null;
}

export function tileState(server: Server | undefined, intent: LocalIntent = {}): TileState {
  const state = server?.state ?? 'stopped';
  if (intent.restarting && (state === 'stopping' || state === 'stopped' || state === 'ready')) return 'restarting';
  switch (state) {
    case 'ready':
      return 'running';
    case 'failed':
      return failureKey(server) === intent.dismissedFailure ? 'stopped' : 'failed';
    default:
      return state;
  }
}

/** Identifies one failure so dismissing it does not hide the next one. */
export function failureKey(server: Server | undefined): string | null {
  if (!server || server.state !== 'failed') return null;
  return `${server.started_at ?? ''}|${server.error ?? ''}`;
}

/**
 * Whether `entry` is older than the one shown for its profile. List answers and `server.changed`
 * events arrive in any order (a list computed before a transition can land after its event), and
 * the manager's `revision` says which is newer: an older entry never replaces a newer one, else a
 * tile could fall back to "starting" after "failed" and no later event would correct it.
 */
export function isOlder(entry: Server, shown: Server | undefined): boolean {
  return shown !== undefined && entry.revision < shown.revision;
}

/**
 * Merges a fresh list into the shown one: unchanged entries keep their object (nothing
 * re-renders), entries older than the shown ones are ignored (see isOlder), the order is stable
 * (by name, then id) so rows never jump while the user scrolls. Profiles missing from the list
 * are dropped (deleted).
 */
export function reconcileServers(shown: readonly Server[], fresh: readonly Server[]): Server[] {
  const byId = new Map(shown.map((s) => [s.profile_id, s]));
  const merged = fresh.map((s) => {
    const old = byId.get(s.profile_id);
    return old && (sameServer(old, s) || isOlder(s, old)) ? old : s;
  });
  merged.sort(byName);
  const unchanged = merged.length === shown.length && merged.every((s, i) => s === shown[i]);
  return unchanged ? (shown as Server[]) : merged;
}

/** One server changed (an event): replace or add it in place, unless it is older than the one shown. */
export function upsertServer(shown: readonly Server[], server: Server): Server[] {
  const index = shown.findIndex((s) => s.profile_id === server.profile_id);
  if (index === -1) return [...shown, server].sort(byName);
  const old = shown[index];
  if (old && (sameServer(old, server) || isOlder(server, old))) return shown as Server[];
  const next = [...shown];
  next[index] = server;
  if (old?.profile_name !== server.profile_name) next.sort(byName);
  return next;
}

/** Applies a metrics sample to the servers it names; others keep their object. */
export function applyMetrics(shown: readonly Server[], sample: ServerMetricsEvent['servers']): Server[] {
  const byId = new Map(sample.map((m) => [m.profile_id, m]));
  let changed = false;
  const next = shown.map((s) => {
    const m = byId.get(s.profile_id);
    if (!m || (m.memory_bytes === s.memory_bytes && m.cpu_percent === s.cpu_percent && m.uptime_seconds === s.uptime_seconds && m.tokens_per_second === s.tokens_per_second)) {
      return s;
    }
    changed = true;
    return { ...s, memory_bytes: m.memory_bytes, cpu_percent: m.cpu_percent, uptime_seconds: m.uptime_seconds, tokens_per_second: m.tokens_per_second };
  });
  return changed ? next : (shown as Server[]);
}

function byName(a: Server, b: Server): number {
  return a.profile_name.localeCompare(b.profile_name) || a.profile_id.localeCompare(b.profile_id);
}

function sameServer(a: Server, b: Server): boolean {
  const keys = Object.keys(b) as Array<keyof Server>;
  return keys.length === Object.keys(a).length && keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** Percent for a gauge arc: finite, clamped to 0–100. */
export function gaugePercent(value: number | null | undefined, of = 100): number {
  if (value === null || value === undefined || !Number.isFinite(value) || of <= 0) return 0;
  return Math.min(100, Math.max(0, (value / of) * 100));
}

/** Gauge colour band: green below 75 %, amber below 90 %, red above. */
export function gaugeLevel(percent: number): 'ok' | 'warn' | 'high' {
  return percent >= 90 ? 'high' : percent >= 75 ? 'warn' : 'ok';
}
