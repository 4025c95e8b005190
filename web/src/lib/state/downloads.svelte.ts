import {
  DownloadEndEvent,
  DownloadProgressEvent,
  LocalModelsChangedEvent,
  type CreateDownloadRequest,
  type Download,
  type LocalModel,
} from '@mlx-manager/contract';
import { resolve } from '$app/paths';
import { api } from '$lib/api/index.js';
import { isActive, mergeDownload, tilesFromList } from './downloads-logic.js';
import { events } from './events.svelte.js';
import { mapWithout } from './immutable.js';
import { refCounted, sharedInFlight } from './lifecycle.js';
import { toasts } from './toasts.svelte.js';

/**
 * Download tiles keyed by repo, driven by `download.*` events (no polling), and the local model
 * list, refetched whenever the server says it changed (a download finished, a model was deleted).
 */
class Downloads {
  tiles = $state.raw<ReadonlyMap<string, Download>>(new Map());
  models = $state.raw<LocalModel[]>([]);
  modelsLoaded = $state(false);
  modelsError = $state<string | undefined>();
  /**
   * Repos whose download finished while the page watched: their hub card says "Downloaded" at
   * once, before the local list (refetched) and the hub's own flag catch up.
   */
  completed = $state.raw<ReadonlySet<string>>(new Set());

  /** Tiles newest first. */
  readonly list = $derived([...this.tiles.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1)));

  /** Subscribes while some page needs it; returns the release. */
  readonly use = refCounted(() => {
    void this.refresh();
    return [
      events.on('download.progress', DownloadProgressEvent, (e) => this.#merge(e.download)),
      events.on('download.end', DownloadEndEvent, (e) => {
        this.#merge(e.download);
        if (e.download.state === 'done') this.#finished(e.download.repo);
      }),
      events.on('models.changed', LocalModelsChangedEvent, () => void this.refreshModels()),
      events.onResync(() => void this.refresh()),
    ];
  });

  async refresh(): Promise<void> {
    await Promise.all([this.refreshDownloads(), this.refreshModels()]);
  }

  async refreshDownloads(): Promise<void> {
    try {
      const list = await api.downloads.list();
      const fresh = tilesFromList(list.filter((d) => !this.#outdated(d)));
      // Keep failures the user has not dismissed yet even when the server forgot them.
      const failed = [...this.tiles.values()].filter((d) => d.state === 'failed' && !fresh.has(d.repo));
      let tiles = fresh;
      for (const d of failed) tiles = mergeDownload(tiles, d);
      this.tiles = tiles;
    } catch {
      // The tiles keep their last state; the next event or resync brings them up to date.
    }
  }

  /** Concurrent refreshes share one request. */
  readonly refreshModels = sharedInFlight(async () => {
    try {
      this.models = await api.models.list();
      this.modelsError = undefined;
    } catch (error) {
      this.modelsError = error instanceof Error ? error.message : 'Could not list local models.';
    } finally {
      this.modelsLoaded = true;
    }
  });

  async start(request: CreateDownloadRequest): Promise<void> {
    const download = await api.downloads.create(request);
    this.#merge(download);
  }

  async cancel(download: Download): Promise<void> {
    await api.downloads.cancel(download.id);
    this.dismiss(download.repo);
  }

  /** Removes a tile (a failure the user has read). */
  dismiss(repo: string): void {
    this.tiles = mapWithout(this.tiles, repo);
  }

  #finished(repo: string): void {
    this.completed = new Set([...this.completed, repo]);
    void this.refreshModels();
    toasts.show({
      message: `${repo} is downloaded.`,
      variant: 'success',
      action: { label: 'Use it', href: resolve(`/profiles/new?model=${encodeURIComponent(repo)}`) },
    });
  }

  /**
   * Downloads that ended while the page watched. A small download can end before the answer to the
   * request that started it arrives; that answer (still "queued") must not bring back a tile that
   * no event would ever clear.
   */
  #ended = new Set<string>();

  /** An answer that shows as running a download whose end this page already saw. */
  #outdated(download: Download): boolean {
    return isActive(download) && this.#ended.has(download.id);
  }

  #merge(download: Download): void {
    if (this.#outdated(download)) return;
    if (!isActive(download)) this.#ended.add(download.id);
    this.tiles = mergeDownload(this.tiles, download);
  }
}

export const downloads = new Downloads();
