import type { Selectable } from 'kysely';

/** Runtime settings: the value is JSON text (sealed by the secret box for secret keys). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface SettingsTables {
  settings: SettingsTable;
}

export type SettingRow = Selectable<SettingsTable>;
