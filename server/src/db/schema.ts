import type { ApiKeysTables } from './tables/api-keys.js';
import type { ChatsTables } from './tables/chats.js';
import type { DownloadsTables } from './tables/downloads.js';
import type { GatewayTables } from './tables/gateway.js';
import type { ProfilesTables } from './tables/profiles.js';
import type { SettingsTables } from './tables/settings.js';
import type { UsersTables } from './tables/users.js';

/** Every table, one `extends` entry per area (each area owns its `tables/<area>.ts`). */
export interface Database extends UsersTables, ApiKeysTables, DownloadsTables, ProfilesTables, SettingsTables, GatewayTables, ChatsTables {}
