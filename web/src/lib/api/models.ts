import { LocalModelFiles, LocalModelList, type LocalModel } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';
import { repoPath } from './repo-path.js';

/** `/api/models/*`: models in the local Hugging Face cache. */
export function createModelsApi(client: ApiClient) {
  return {
    list: async (): Promise<LocalModel[]> => (await client.request('GET', '/api/models', { response: LocalModelList })).models,

    /** The files of the downloaded snapshot (sizes, loadable GGUFs, quantizations); 404 when not downloaded. */
    files: (repoId: string) => client.request('GET', `/api/models/${repoPath(repoId)}/files`, { response: LocalModelFiles }),

    /** 409 while a running profile uses the model. */
    remove: (repoId: string) => client.request('DELETE', `/api/models/${repoPath(repoId)}`),
  };
}
export type ModelsApi = ReturnType<typeof createModelsApi>;
