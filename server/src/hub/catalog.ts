import type { HubModelDetail, HubModelSummary, HubSearchQuery, HubSearchResult, LocalModel, LocalModelFiles, ModelReadme } from '@mlx-manager/contract';
import { deleteRepo } from './cache-delete.js';
import { repoFolderName } from './cache-layout.js';
import { scanCache, scanRepo, type LocalRepo } from './cache-scan.js';
import { characteristicsFromConfig, estimateSizeBytes, fitsOnMachine, paramsFromName } from './characteristics.js';
import type { HubClient, HubModel } from './client.js';
import { HubError } from './errors.js';
import { detectModelFamily, recommendOptions } from './families.js';
import { localRepoFiles } from './model-file.js';

/**
 * What the Models page and CLI ask about models: hub search and detail (with characteristics and
 * "fits"), and the local models in the cache. Errors stay `HubError`s; callers map them.
 */

export interface CatalogDeps {
  client: HubClient;
  cacheDir: string;
  offline: boolean;
  totalMemoryBytes: number;
  /** A queued/running download of this repo exists. */
  isDownloading?: (repo: string) => boolean;
  /** A running profile uses this repo (supplied by the engines; default: never). */
  isModelInUse?: (repo: string) => boolean | Promise<boolean>;
  /** Called after the local list changed (e.g. to publish an event). */
  onLocalChange?: () => void;
}

export type DeleteOutcome = 'deleted' | 'missing' | 'in_use' | 'downloading';

function summarise(m: HubModel, localIds: ReadonlySet<string>, totalMemoryBytes: number): HubModelSummary {
  const size = estimateSizeBytes(m.id, m.usedStorage);
  const params = m.safetensors?.total ?? paramsFromName(m.id);
  return {
    id: m.id,
    author: m.author ?? m.id.split('/')[0] ?? 'unknown',
    downloads: m.downloads ?? 0,
    likes: m.likes ?? 0,
    last_modified: m.lastModified ?? null,
    tags: m.tags ?? [],
    pipeline_tag: m.pipeline_tag ?? null,
    library_name: m.library_name ?? null,
    gated: m.gated !== undefined && m.gated !== false,
    size_bytes: size,
    size_estimated: !(m.usedStorage !== undefined && m.usedStorage > 0),
    parameters: params ?? null,
    fits: fitsOnMachine(size, totalMemoryBytes) ?? null,
    is_downloaded: localIds.has(m.id),
  };
}

export function toLocalModel(r: LocalRepo, totalMemoryBytes: number, downloading: boolean): LocalModel {
  return {
    id: r.repo_id,
    path: r.snapshot_path,
    commit: r.commit,
    size_bytes: r.size_bytes,
    disk_bytes: r.disk_bytes,
    file_count: r.file_count,
    modified_at: r.modified_at,
    characteristics: r.config ? characteristicsFromConfig(r.config) : null,
    model_family: detectModelFamily(r.repo_id, r.config ?? {}) ?? null,
    fits: fitsOnMachine(r.size_bytes, totalMemoryBytes) ?? null,
    downloading,
  };
}

/** Model cards beyond this are cut (the hub's longest are a few hundred KB). */
export const README_MAX_BYTES = 512 * 1024;

export function createCatalog(deps: CatalogDeps) {
  const offlineError = (): HubError => new HubError('offline', 'the hub is not reachable in offline mode (HF_HUB_OFFLINE is set)');
  const localIds = async (): Promise<Set<string>> => new Set((await scanCache(deps.cacheDir)).map((r) => r.repo_id));

  return {
    async search(q: HubSearchQuery, signal?: AbortSignal): Promise<HubSearchResult> {
      if (deps.offline) throw offlineError();
      const page = await deps.client.search(
        { q: q.q, author: q.author, sort: q.sort ?? 'downloads', limit: q.limit ?? 20, cursor: q.cursor, mlx: q.mlx ?? true, filters: q.filter ? [q.filter] : [] },
        signal,
      );
      const local = await localIds();
      const models = page.models.map((m) => summarise(m, local, deps.totalMemoryBytes));
      // Filtering a page (not refilling it) keeps the hub's cursor exact: nothing is skipped.
      return { models: q.fits ? models.filter((m) => m.fits !== false) : models, next_cursor: page.nextCursor ?? null };
    },

    async detail(repo: string, signal?: AbortSignal): Promise<HubModelDetail> {
      if (deps.offline) throw offlineError();
      const info = await deps.client.modelInfo(repo, undefined, signal);
      // The info's config is partial on the real hub; config.json is the source of truth.
      const config = (await deps.client.fetchConfig(repo, info.sha, signal)) ?? info.config;
      const local = await localIds();
      return {
        ...summarise(info, local, deps.totalMemoryBytes),
        sha: info.sha,
        files: (info.siblings ?? []).map((s) => ({ path: s.rfilename, size: s.lfs?.size ?? s.size ?? 0, lfs: s.lfs !== undefined })),
        characteristics: config ? characteristicsFromConfig(config, info.tags ?? []) : null,
        model_family: detectModelFamily(repo, config ?? {}) ?? null,
        recommended_options: recommendOptions(repo),
      };
    },

    /** The model card (README.md) as Markdown, capped at README_MAX_BYTES; rendering is the client's. */
    async readme(repo: string, signal?: AbortSignal): Promise<ModelReadme> {
      if (deps.offline) throw offlineError();
      const got = await deps.client.fetchText(repo, 'main', 'README.md', README_MAX_BYTES, signal);
      return { repo, markdown: got?.text ?? null, truncated: got?.truncated ?? false };
    },

    /** Files of the local snapshot with sizes and GGUF quantizations, or undefined when not downloaded. */
    async localFiles(repo: string): Promise<LocalModelFiles | undefined> {
      const local = await localRepoFiles(deps.cacheDir, repo);
      return local && { repo: local.repo, commit: local.commit, files: local.files };
    },

    async listLocal(): Promise<LocalModel[]> {
      return (await scanCache(deps.cacheDir)).map((r) => toLocalModel(r, deps.totalMemoryBytes, deps.isDownloading?.(r.repo_id) ?? false));
    },

    async findLocal(repo: string): Promise<LocalModel | undefined> {
      const r = await scanRepo(deps.cacheDir, repoFolderName(repo));
      return r && toLocalModel(r, deps.totalMemoryBytes, deps.isDownloading?.(repo) ?? false);
    },

    /** Remove a repo from the cache, unless a running profile uses it or it is downloading. */
    async deleteLocal(repo: string): Promise<DeleteOutcome> {
      if (await (deps.isModelInUse?.(repo) ?? false)) return 'in_use';
      if (deps.isDownloading?.(repo)) return 'downloading';
      const deleted = await deleteRepo(deps.cacheDir, repo);
      if (deleted) deps.onLocalChange?.();
      return deleted ? 'deleted' : 'missing';
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
