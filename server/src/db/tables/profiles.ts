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
  /** User id of the creator; null = from before owners were recorded (treated as admin-owned). */
  created_by: string | null;
  /**
   * `{"env": {NAME: sealed}, "extra_args": [sealed…]}`: the values sealed by the secret box
   * (db/sealed-columns.ts). Null on rows written before sealing: their env and extra_args are
   * still in `settings`, in clear, until the next write.
   */
  secrets: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProfilesTables {
  profiles: ProfilesTable;
}

export type ProfileRow = Selectable<ProfilesTable>;
