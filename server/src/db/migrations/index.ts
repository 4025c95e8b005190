import type { Migration } from 'kysely';
import * as m0001 from './0001_users.js';
import * as m0002 from './0002_api_keys.js';
import * as m0003 from './0003_users_sessions_valid_after.js';
import * as m0004 from './0004_users_session_epoch.js';
import * as m0005 from './0005_settings.js';
import * as m0010 from './0010_downloads.js';
import * as m0020 from './0020_profiles.js';
import * as m0021 from './0021_profiles_owner.js';
import * as m0030 from './0030_providers.js';
import * as m0031 from './0031_routes.js';
import * as m0032 from './0032_audit.js';
import * as m0033 from './0033_provider_prices.js';
import * as m0040 from './0040_chats.js';
import * as m0041 from './0041_audit_lean_indexes.js';

/*
 * The ordered, append-only list of migrations (static: no filesystem scanning, works from src/
 * and dist/ alike). Never edit or reorder a shipped migration; add a new one.
 * Numbering: foundation 0001–0009, hub 0010–0019, engines 0020–0029, gateway 0030–0039, chats 0040–0049.
 */
export const migrations: Record<string, Migration> = {
  '0001_users': m0001,
  '0002_api_keys': m0002,
  '0003_users_sessions_valid_after': m0003,
  '0004_users_session_epoch': m0004,
  '0005_settings': m0005,
  '0010_downloads': m0010,
  '0020_profiles': m0020,
  '0021_profiles_owner': m0021,
  '0030_providers': m0030,
  '0031_routes': m0031,
  '0032_audit': m0032,
  '0033_provider_prices': m0033,
  '0040_chats': m0040,
  '0041_audit_lean_indexes': m0041,
};
