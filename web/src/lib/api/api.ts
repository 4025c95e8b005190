import { createAuthApi } from './auth.js';
import { createChatsApi } from './chats.js';
import { createApiClient, type ApiClientOptions } from './client.js';
import { createDownloadsApi } from './downloads.js';
import { createGatewayApi } from './gateway.js';
import { createHubApi } from './hub.js';
import { createKeysApi } from './keys.js';
import { createModelsApi } from './models.js';
import { createProfilesApi } from './profiles.js';
import { createServersApi } from './servers.js';
import { createSettingsApi } from './settings.js';
import { createSystemApi } from './system.js';
import { createUsersApi } from './users.js';

/** All endpoint modules over one client. */
export function createApi(options: ApiClientOptions = {}) {
  const client = createApiClient(options);
  return {
    client,
    auth: createAuthApi(client),
    users: createUsersApi(client),
    keys: createKeysApi(client),
    hub: createHubApi(client),
    models: createModelsApi(client),
    downloads: createDownloadsApi(client),
    profiles: createProfilesApi(client),
    servers: createServersApi(client),
    system: createSystemApi(client),
    settings: createSettingsApi(client),
    gateway: createGatewayApi(client),
    chats: createChatsApi(client),
  };
}
export type Api = ReturnType<typeof createApi>;
