import { ApiKeyList, CreatedApiKey, type ApiKey } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

/** `/api/keys/*`: the signed-in user's gateway API keys. */
export function createKeysApi(client: ApiClient) {
  return {
    list: async (): Promise<ApiKey[]> => (await client.request('GET', '/api/keys', { response: ApiKeyList })).keys,

    /** The answer holds the full key: the only time it is ever visible. */
    create: (name: string) => client.request('POST', '/api/keys', { body: { name }, response: CreatedApiKey }),

    revoke: (id: string) => client.request('DELETE', `/api/keys/${encodeURIComponent(id)}`),
  };
}
export type KeysApi = ReturnType<typeof createKeysApi>;
