import type { Selectable } from 'kysely';

/**
 * Server profiles. Columns for what is searched or must be unique (name, port); every other
 * field of the contract's ProfileFields lives in `settings` (JSON), so adding a field needs no
 * migration. Booleans are integers 0/1 on both dialects.
 */
export interface ProfilesTable {
  id: string;
  name: string;
  engine: string;
  model: string;
  host: string;
  port: number;
  start_on_boot: number;
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface ProfilesTables {
  profiles: ProfilesTable;
}

export type ProfileRow = Selectable<ProfilesTable>;
