import { LocalModelList, type LocalModel } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';
import { repoPath } from './repo-path.js';

/** `/api/models/*`: models in the local Hugging Face cache. */
export function createModelsApi(client: ApiClient) {
  return {
    list: async (): Promise<LocalModel[]> => (await client.request('GET', '/api/models', { response: LocalModelList })).models,

    /** 409 while a running profile uses the model. */
    remove: (repoId: string) => client.request('DELETE', `/api/models/${repoPath(repoId)}`),
  };
}
export type ModelsApi = ReturnType<typeof createModelsApi>;
