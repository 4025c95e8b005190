import { HubModelDetail, HubSearchResult, ModelReadme, type HubSort } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';
import { repoPath } from './repo-path.js';

export interface HubSearchParams {
  q?: string;
  author?: string;
  sort?: HubSort;
  limit?: number;
  cursor?: string;
  /** MLX-tagged repos only (the server's default is true). */
  mlx?: boolean;
  /** Extra tag filter, e.g. `gguf`. */
  filter?: string;
}

/** `/api/hub/*`: search the Hugging Face hub and read one model's detail. */
export function createHubApi(client: ApiClient) {
  return {
    search: (params: HubSearchParams, signal?: AbortSignal) =>
      client.request('GET', '/api/hub/search', {
        query: { ...params, q: params.q?.trim() || undefined },
        response: HubSearchResult,
        ...(signal ? { signal } : {}),
      }),

    model: (repoId: string, signal?: AbortSignal) =>
      client.request('GET', `/api/hub/models/${repoPath(repoId)}`, {
        response: HubModelDetail,
        ...(signal ? { signal } : {}),
      }),

    /** The model card as Markdown (render only after sanitising). */
    readme: (repoId: string, signal?: AbortSignal) =>
      client.request('GET', `/api/hub/models/${repoPath(repoId)}/readme`, {
        response: ModelReadme,
        ...(signal ? { signal } : {}),
      }),
  };
}
export type HubApi = ReturnType<typeof createHubApi>;
