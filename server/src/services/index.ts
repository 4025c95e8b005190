import { totalmem } from 'node:os';
import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.js';
import type { Database } from '../db/schema.js';
import { createCatalog, type Catalog } from '../hub/catalog.js';
import { createHubContext, type HubContext } from '../hub/context.js';
import { createApiKeysService, type ApiKeysService } from './api-keys.js';
import { createDownloadsService, type DownloadsDeps, type DownloadsService } from './downloads.js';
import { createEventBus, type EventBus } from './event-bus.js';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js';
import { loadOrCreateSecret } from './secrets.js';
import { createSessions, type Sessions } from './sessions.js';
import { createUsersService, type UsersService } from './users.js';

/**
 * Every service the routes use. Other areas add their service here (one field) and build it
 * in `createCoreServices` or in main.ts.
 */
export interface Services {
  events: EventBus;
  sessions: Sessions;
  throttle: LoginThrottle;
  users: UsersService;
  apiKeys: ApiKeysService;
  /** Hub search/detail and local models (hub/catalog.ts). */
  catalog: Catalog;
  downloads: DownloadsService;
}

/** Optional wiring of the models area (tests inject a fake hub; engines supply isModelInUse). */
export interface ModelsWiring {
  hub?: HubContext;
  isModelInUse?: (repo: string) => boolean | Promise<boolean>;
  downloader?: DownloadsDeps['downloader'];
  totalMemoryBytes?: number;
}

export async function createCoreServices(
  config: Config,
  db: Kysely<Database>,
  onListenerError?: (err: unknown) => void,
  models: ModelsWiring = {},
): Promise<Services> {
  const events = createEventBus(onListenerError);
  const sessions = createSessions(await loadOrCreateSecret(config.home, 'jwt.key', config.jwt_secret));
  const throttle = createLoginThrottle();
  const users = createUsersService({ db, sessions, throttle, events });
  const apiKeys = createApiKeysService({ db, events });
  const hub = models.hub ?? (await createHubContext(process.env));
  const downloads = createDownloadsService({
    db, events, client: hub.client, cacheDir: hub.cacheDir, offline: hub.offline, onError: onListenerError,
    ...(models.downloader ? { downloader: models.downloader } : {}),
  });
  const catalog = createCatalog({
    client: hub.client, cacheDir: hub.cacheDir, offline: hub.offline, totalMemoryBytes: models.totalMemoryBytes ?? totalmem(),
    isDownloading: (repo) => downloads.isDownloading(repo),
    onLocalChange: () => events.publish({ type: 'models.changed' }),
    ...(models.isModelInUse ? { isModelInUse: models.isModelInUse } : {}),
  });
  return { events, sessions, throttle, users, apiKeys, catalog, downloads };
}
