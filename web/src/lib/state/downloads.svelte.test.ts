import { describe, expect, it, vi } from 'vitest';
import type { Download, LocalModel } from '@mlx-manager/contract';

// The store over a fake API and a fake event stream: tiles follow events; completion refreshes the local list.
vi.mock('./events.svelte.js', () => import('./events.fake.js'));
const models = vi.fn<() => Promise<LocalModel[]>>(async () => []);
vi.mock('$lib/api/index.js', () => ({
  api: { models: { list: models }, downloads: { list: vi.fn(async () => []), create: vi.fn(), cancel: vi.fn(async () => undefined) } },
}));

const { emitEvent } = await import('./events.fake.js');
const { downloads } = await import('./downloads.svelte.js');
const { toasts } = await import('./toasts.svelte.js');

const dl = (extra: Partial<Download> = {}): Download => ({
  id: 'd1',
  repo: 'org/tiny',
  revision: 'main',
  files: null,
  state: 'running',
  bytes_done: 10,
  bytes_total: 100,
  percent: 10,
  speed_bps: 5,
  eta_seconds: 18,
  error: null,
  commit: null,
  created_by: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:01.000Z',
  finished_at: null,
  ...extra,
});

describe('downloads store', () => {
  it('shows progress from events and refreshes the local list when a download completes', async () => {
    downloads.use();
    await downloads.refresh();
    const callsBefore = models.mock.calls.length;
    emitEvent('download.progress', { type: 'download.progress', download: dl() });
    expect(downloads.list.map((d) => d.percent)).toEqual([10]);
    emitEvent('download.progress', { type: 'download.progress', download: dl({ percent: 60, bytes_done: 60, updated_at: '2026-01-01T00:00:02.000Z' }) });
    expect(downloads.list.map((d) => d.percent)).toEqual([60]);
    emitEvent('download.end', { type: 'download.end', download: dl({ state: 'done', percent: 100, updated_at: '2026-01-01T00:00:03.000Z' }) });
    expect(downloads.list).toEqual([]);
    await vi.waitFor(() => expect(models.mock.calls.length).toBe(callsBefore + 1));
  });

  it('marks a finished repo as completed at once and toasts it with a "Use it" action', () => {
    downloads.use();
    emitEvent('download.progress', { type: 'download.progress', download: dl({ id: 'd2', repo: 'org/other' }) });
    expect(downloads.completed.has('org/other')).toBe(false);
    emitEvent('download.end', {
      type: 'download.end',
      download: dl({ id: 'd2', repo: 'org/other', state: 'done', percent: 100, updated_at: '2026-01-01T00:00:05.000Z' }),
    });
    expect(downloads.completed.has('org/other')).toBe(true);
    expect(toasts.items.at(-1)).toMatchObject({
      message: 'org/other is downloaded.',
      variant: 'success',
      action: { label: 'Use it', href: '/profiles/new?model=org%2Fother' },
    });
  });

  it('does not toast a failed or cancelled download', () => {
    downloads.use();
    const before = toasts.items.length;
    emitEvent('download.end', { type: 'download.end', download: dl({ id: 'd3', repo: 'org/bad', state: 'failed', error: 'disk full' }) });
    expect(downloads.completed.has('org/bad')).toBe(false);
    expect(toasts.items.length).toBe(before);
  });
});

describe('downloads store, when the end event outruns the answer that started the download', () => {
  it('keeps the download finished: the late "queued" answer brings back no tile', async () => {
    const { api } = await import('$lib/api/index.js');
    const queued = dl({ id: 'd4', repo: 'org/quick', state: 'queued', bytes_done: 0, percent: 0, updated_at: '2026-01-01T00:00:00.500Z' });
    let answer: (d: Download) => void = () => undefined;
    vi.mocked(api.downloads.create).mockImplementationOnce(() => new Promise<Download>((resolve) => (answer = resolve)));
    downloads.use();
    const started = downloads.start({ repo: 'org/quick' });
    emitEvent('download.end', {
      type: 'download.end',
      download: dl({ id: 'd4', repo: 'org/quick', state: 'done', percent: 100, updated_at: '2026-01-01T00:00:02.000Z' }),
    });
    answer(queued);
    await started;
    expect(downloads.tiles.has('org/quick')).toBe(false);
    expect(downloads.completed.has('org/quick')).toBe(true);
  });

  it('keeps it finished when a list asked before the end answers after it (mount, reconnect)', async () => {
    const { api } = await import('$lib/api/index.js');
    const running = dl({ id: 'd5', repo: 'org/listed', state: 'running', updated_at: '2026-01-01T00:00:01.000Z' });
    let answer: (list: Download[]) => void = () => undefined;
    vi.mocked(api.downloads.list).mockImplementationOnce(() => new Promise<Download[]>((resolve) => (answer = resolve)));
    downloads.use();
    const refreshed = downloads.refreshDownloads();
    emitEvent('download.end', { type: 'download.end', download: { ...running, state: 'done', percent: 100, updated_at: '2026-01-01T00:00:02.000Z' } });
    answer([running]);
    await refreshed;
    expect(downloads.tiles.has('org/listed')).toBe(false);
  });
});
