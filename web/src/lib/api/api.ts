import { createAuthApi } from './auth.js';
import { createApiClient, type ApiClientOptions } from './client.js';
import { createKeysApi } from './keys.js';
import { createUsersApi } from './users.js';

/** All endpoint modules over one client. */
export function createApi(options: ApiClientOptions = {}) {
  const client = createApiClient(options);
  return {
    client,
    auth: createAuthApi(client),
    users: createUsersApi(client),
    keys: createKeysApi(client),
  };
}
export type Api = ReturnType<typeof createApi>;
