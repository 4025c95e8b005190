import type { Download } from '@mlx-manager/contract';

/** Downloads the page shows as tiles: running or queued, and failed ones until dismissed. */
export function isActive(download: Download): boolean {
  return download.state === 'queued' || download.state === 'running';
}

/**
 * Merges one download (from an event or a list) into the tiles keyed by repo. Returns the same
 * map when nothing changes, so an unchanged list never re-renders. An update older than what is
 * shown (events and a list answer can cross) is ignored; finished downloads leave the tiles,
 * except failures, which stay so the user can read why.
 */
export function mergeDownload(tiles: ReadonlyMap<string, Download>, incoming: Download): ReadonlyMap<string, Download> {
  const current = tiles.get(incoming.repo);
  if (current && current.id === incoming.id && current.updated_at > incoming.updated_at) return tiles;
  if (current && current.id !== incoming.id && current.created_at > incoming.created_at) return tiles;
  const keep = isActive(incoming) || incoming.state === 'failed';
  if (!keep) {
    if (!current || current.id !== incoming.id) return tiles;
    const next = new Map(tiles);
    next.delete(incoming.repo);
    return next;
  }
  if (current && sameProgress(current, incoming)) return tiles;
  const next = new Map(tiles);
  next.set(incoming.repo, incoming);
  return next;
}

/** Replaces the tiles with a fresh list (after a reconnect), keeping failures the list still has. */
export function tilesFromList(list: readonly Download[]): ReadonlyMap<string, Download> {
  let tiles: ReadonlyMap<string, Download> = new Map();
  const newestFirst = [...list].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  for (const download of newestFirst) {
    if (tiles.has(download.repo)) continue; // the newest download of a repo wins
    tiles = mergeDownload(tiles, download);
  }
  return tiles;
}

function sameProgress(a: Download, b: Download): boolean {
  return (
    a.id === b.id &&
    a.state === b.state &&
    a.bytes_done === b.bytes_done &&
    a.bytes_total === b.bytes_total &&
    a.speed_bps === b.speed_bps &&
    a.eta_seconds === b.eta_seconds &&
    a.error === b.error
  );
}
