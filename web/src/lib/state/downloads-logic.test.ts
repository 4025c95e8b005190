import { describe, expect, it } from 'vitest';
import type { Download } from '@mlx-manager/contract';
import { mergeDownload, tilesFromList } from './downloads-logic.js';

const base: Download = {
  id: 'd1',
  repo: 'mlx-community/tiny',
  revision: 'main',
  files: null,
  state: 'running',
  bytes_done: 100,
  bytes_total: 1000,
  percent: 10,
  speed_bps: 50,
  eta_seconds: 18,
  error: null,
  commit: null,
  created_by: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:01.000Z',
  finished_at: null,
};
const at = (s: number) => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000Z`;

describe('mergeDownload', () => {
  it('adds a running download and updates it in place', () => {
    const one = mergeDownload(new Map(), base);
    expect(one.get(base.repo)?.bytes_done).toBe(100);
    const two = mergeDownload(one, { ...base, bytes_done: 500, updated_at: at(2) });
    expect(two.get(base.repo)?.bytes_done).toBe(500);
    expect(two).not.toBe(one);
  });

  it('returns the same map when nothing changed (no re-render)', () => {
    const one = mergeDownload(new Map(), base);
    expect(mergeDownload(one, { ...base, updated_at: at(3) })).toBe(one);
  });

  it('ignores an update older than the one shown (events and list answers cross)', () => {
    const newer = mergeDownload(new Map(), { ...base, bytes_done: 800, updated_at: at(5) });
    expect(mergeDownload(newer, { ...base, bytes_done: 200, updated_at: at(2) })).toBe(newer);
  });

  it('removes the tile when the download completes or is cancelled', () => {
    const one = mergeDownload(new Map(), base);
    expect(mergeDownload(one, { ...base, state: 'done', updated_at: at(9) }).has(base.repo)).toBe(false);
    expect(mergeDownload(one, { ...base, state: 'cancelled', updated_at: at(9) }).has(base.repo)).toBe(false);
  });

  it('keeps a failure so the reason can be read', () => {
    const one = mergeDownload(new Map(), base);
    const failed = mergeDownload(one, { ...base, state: 'failed', error: 'sha256 mismatch', updated_at: at(9) });
    expect(failed.get(base.repo)?.error).toBe('sha256 mismatch');
  });

  it('does not let a finished old download remove a newer one of the same repo', () => {
    const newer = mergeDownload(new Map(), { ...base, id: 'd2', created_at: at(30), updated_at: at(31) });
    expect(mergeDownload(newer, { ...base, state: 'done', updated_at: at(40) }).get(base.repo)?.id).toBe('d2');
  });
});

describe('tilesFromList', () => {
  it('keeps the newest download per repo and drops finished ones', () => {
    const tiles = tilesFromList([
      { ...base, id: 'old', state: 'failed', created_at: at(1) },
      { ...base, id: 'new', state: 'running', created_at: at(20) },
      { ...base, id: 'other', repo: 'org/done', state: 'done' },
    ]);
    expect([...tiles.values()].map((d) => d.id)).toEqual(['new']);
  });
});
