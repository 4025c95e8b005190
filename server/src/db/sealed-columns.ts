import { SECRET_SETTING_KEYS } from '@mlx-manager/contract';

/*
 * Every database column that holds values sealed by the secret box (services/secret-box.ts).
 * `mlx-manager keys rotate` re-seals each listed column under a new master key, so a column
 * that stores a secret and is missing here would become unreadable after a rotation: add yours.
 *
 * `json: true` marks a column whose value is a JSON document with sealed strings inside (for
 * example a map of environment variables); rotation then re-seals each sealed string in it.
 */
export interface SealedColumn {
  table: string;
  idColumn: string;
  column: string;
  json?: boolean;
  /** Only the rows with these ids hold sealed values (a key/value table where some keys are secret). */
  onlyIds?: readonly string[];
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  // A profile's env values and extra arguments (HF_TOKEN, --api-key …): db/tables/profiles.ts.
  { table: 'profiles', idColumn: 'id', column: 'secrets', json: true },
  // Provider API keys (db/tables/gateway.ts).
  { table: 'providers', idColumn: 'id', column: 'api_key' },
  // Secret runtime settings (the Hugging Face token): the other settings rows are plain JSON.
  { table: 'settings', idColumn: 'key', column: 'value', onlyIds: SECRET_SETTING_KEYS },
];
