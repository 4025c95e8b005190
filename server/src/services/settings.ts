import { SECRET_SETTING_KEYS, SETTINGS_SCHEMA, SETTING_KEYS, Settings, type SettingKey, type SettingsPatch } from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import { settingsRepository } from '../db/repositories/settings.js';
import type { Database } from '../db/schema.js';
import type { SettingRow } from '../db/tables/settings.js';
import type { EventBus } from './event-bus.js';
import { secretHint, type SecretBox } from './secret-box.js';

export interface SettingsDeps {
  db: Kysely<Database>;
  events: EventBus;
  /** Seals secret-valued settings at rest (SECRET_SETTING_KEYS). */
  secrets: Pick<SecretBox, 'seal' | 'open'>;
  now?: () => Date;
  /**
   * Re-read the table this often (ms) so a change made by another instance on the same database
   * applies here too (docs/decisions/0002-shared-database-instances.md); 0 turns it off.
   */
  reloadIntervalMs?: number;
  /** A failed periodic re-read (the cached values stay). */
  onReloadError?: (err: unknown) => void;
}

/** Default period of the re-read. */
export const SETTINGS_RELOAD_MS = 5000;

/**
 * Pure: stored rows → every setting, defaults filled in. A row that no longer validates (a key
 * removed, a schema tightened) falls back to its default instead of breaking the server.
 */
export function settingsFromRows(rows: ReadonlyArray<{ key: string; value: unknown }>): Settings {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const row of rows) {
    if (!(SETTING_KEYS as string[]).includes(row.key)) continue;
    const key = row.key as SettingKey;
    const parsed = SETTINGS_SCHEMA[key].safeParse(row.value);
    if (parsed.success) values[key] = parsed.data;
  }
  return Settings.parse(values);
}

/**
 * Runtime settings: one cached copy per process, read synchronously by whoever needs a value
 * (the throttle, the gateway) and refreshed on every write through this service.
 */
export async function createSettingsService(deps: SettingsDeps) {
  const repo = settingsRepository(deps.db);
  const isSecret = (key: string) => (SECRET_SETTING_KEYS as readonly string[]).includes(key);

  const decode = (row: SettingRow): { key: string; value: unknown } => {
    try {
      const text = isSecret(row.key) ? deps.secrets.open(row.value) : row.value;
      return { key: row.key, value: JSON.parse(text) as unknown };
    } catch {
      return { key: row.key, value: undefined }; // unreadable → default
    }
  };
  const encode = (key: string, value: unknown): string => {
    const text = JSON.stringify(value);
    return isSecret(key) ? deps.secrets.seal(text) : text;
  };

  let cache = settingsFromRows((await repo.all()).map(decode));

  const reloadMs = deps.reloadIntervalMs ?? SETTINGS_RELOAD_MS;
  const reloader = reloadMs > 0
    ? setInterval(() => {
        repo.all().then((rows) => {
          cache = settingsFromRows(rows.map(decode));
        }, deps.onReloadError ?? (() => undefined));
      }, reloadMs)
    : null;
  reloader?.unref();

  return {
    /** Every setting with defaults (secret values in clear: for server code only). */
    get(): Settings {
      return cache;
    },
    /** What an admin sees: a secret as its hint (`hf_…abcd`), or "" when it is not set. */
    view(): Settings {
      const masked: Record<string, unknown> = { ...cache };
      for (const key of SECRET_SETTING_KEYS) {
        const value = cache[key];
        masked[key] = typeof value === 'string' && value !== '' ? secretHint(value) : '';
      }
      return masked as Settings;
    },
    /** Stores the keys of `patch`; announces `settings.changed` to admins. */
    async update(patch: SettingsPatch): Promise<Settings> {
      const updatedAt = (deps.now ? deps.now() : new Date()).toISOString();
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
      await repo.upsertMany(entries.map(([key, value]) => ({ key, value: encode(key, value), updated_at: updatedAt })));
      cache = settingsFromRows((await repo.all()).map(decode));
      if (entries.length > 0) deps.events.publish({ type: 'settings.changed', keys: entries.map(([k]) => k) }, { kind: 'admins' });
      return cache;
    },
    /** Stops the periodic re-read (before the database closes). */
    close(): void {
      if (reloader) clearInterval(reloader);
    },
    /** Re-reads the table (another instance on the same PostgreSQL database may have written). */
    async reload(): Promise<Settings> {
      cache = settingsFromRows((await repo.all()).map(decode));
      return cache;
    },
  };
}

export type SettingsService = Awaited<ReturnType<typeof createSettingsService>>;

