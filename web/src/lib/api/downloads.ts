import { Download, DownloadList, type CreateDownloadRequest } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

/** `/api/downloads/*`: start, list and cancel model downloads (progress arrives over SSE). */
export function createDownloadsApi(client: ApiClient) {
  return {
    list: async (): Promise<Download[]> => (await client.request('GET', '/api/downloads', { response: DownloadList })).downloads,

    /** Starting a repo that is already downloading answers the running download. */
    create: (body: CreateDownloadRequest) => client.request('POST', '/api/downloads', { body, response: Download }),

    cancel: (id: string) => client.request('DELETE', `/api/downloads/${encodeURIComponent(id)}`),
  };
}
export type DownloadsApi = ReturnType<typeof createDownloadsApi>;
