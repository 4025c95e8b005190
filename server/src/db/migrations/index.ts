import type { Migration } from 'kysely';
import * as m0001 from './0001_users.js';
import * as m0002 from './0002_api_keys.js';
import * as m0003 from './0003_users_sessions_valid_after.js';
import * as m0010 from './0010_downloads.js';
import * as m0020 from './0020_profiles.js';

/*
 * The ordered, append-only list of migrations (static: no filesystem scanning, works from src/
 * and dist/ alike). Never edit or reorder a shipped migration; add a new one.
 * Numbering: foundation 0001–0009, hub 0010–0019, engines 0020–0029.
 */
export const migrations: Record<string, Migration> = {
  '0001_users': m0001,
  '0002_api_keys': m0002,
  '0003_users_sessions_valid_after': m0003,
  '0010_downloads': m0010,
  '0020_profiles': m0020,
};
