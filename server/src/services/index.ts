import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.js';
import type { Database } from '../db/schema.js';
import { createApiKeysService, type ApiKeysService } from './api-keys.js';
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
}

export async function createCoreServices(config: Config, db: Kysely<Database>, onListenerError?: (err: unknown) => void): Promise<Services> {
  const events = createEventBus(onListenerError);
  const sessions = createSessions(await loadOrCreateSecret(config.home, 'jwt.key', config.jwt_secret));
  const throttle = createLoginThrottle();
  const users = createUsersService({ db, sessions, throttle, events });
  const apiKeys = createApiKeysService({ db, events });
  return { events, sessions, throttle, users, apiKeys };
}
