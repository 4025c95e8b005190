import { z } from 'zod';

/** A token goes into an HTTP header: printable ASCII without spaces only (no header injection). */
const HfTokenSetting = z
  .string()
  .trim()
  .max(512, 'must be at most 512 characters')
  .regex(/^[\x21-\x7e]*$/, 'must not contain spaces or special characters')
  .nullable()
  .transform((v) => v ?? '');

/** An http(s) address without query or fragment, or empty for "not set here". */
const HubEndpointSetting = z
  .string()
  .trim()
  .refine((s) => s === '' || isHubUrl(s), 'must be an http:// or https:// address, such as https://huggingface.co');

function isHubUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/*
 * Runtime settings: values an administrator changes while the server runs (unlike config.json,
 * read once at start). One table: each key has its zod schema and its default. Other areas add
 * their keys here (one line each). A key listed in SECRET_SETTING_KEYS is stored sealed and never
 * returned in clear.
 */
export const SETTINGS_SCHEMA = {
  /** New accounts may register themselves (they still wait for approval). */
  registration_open: z.boolean().default(true),
  /** Registration is refused while this many accounts wait for approval. */
  max_pending_users: z.number().int().min(0).max(100_000).default(50),
  /** The `/v1` gateway answers loopback clients without an API key. */
  v1_open_on_loopback: z.boolean().default(false),
  /** Gateway upstreams may be private-network addresses (a LAN model server). */
  gateway_allow_private_upstreams: z.boolean().default(true),
  /** Share of the machine's memory the engines may use together. */
  memory_budget_fraction: z.number().gt(0).max(1).default(0.75),
  /** Audit log entries older than this are deleted. */
  audit_retention_days: z.number().int().min(1).max(3650).default(30),
  /**
   * Hugging Face token for gated and private repos (a secret). Empty: the environment's
   * HF_TOKEN or the token file. `null` in a PATCH clears it like `""`.
   */
  hf_token: HfTokenSetting.default(''),
  /** Hub address (a mirror, a local hub). Empty: HF_ENDPOINT, else the public hub. */
  hf_endpoint: HubEndpointSetting.default(''),
  /** Server log level, applied at once. Empty: the configured one (MLX_MANAGER_LOG_LEVEL, config.json). */
  log_level: z.enum(['', 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(''),
} as const;

export type SettingKey = keyof typeof SETTINGS_SCHEMA;
export const SETTING_KEYS = Object.keys(SETTINGS_SCHEMA) as SettingKey[];

/** Keys whose values are secrets (sealed at rest; answers show a hint such as `hf_…abcd`, or "" when unset). */
export const SECRET_SETTING_KEYS: readonly SettingKey[] = ['hf_token'];

/** Every setting, defaults filled in. */
export const Settings = z.object(SETTINGS_SCHEMA).strict();
export type Settings = z.output<typeof Settings>;

/** `PATCH /api/settings`: any subset of the keys; unknown keys are refused. */
export const SettingsPatch = z.object(Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTINGS_SCHEMA[k].removeDefault()])) as {
  [K in SettingKey]: ReturnType<(typeof SETTINGS_SCHEMA)[K]['removeDefault']>;
}).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Where a value in effect comes from: this page, an environment variable, the token file, the default. */
export const SettingSource = z.enum(['settings', 'environment', 'token_file', 'default']);
export type SettingSource = z.infer<typeof SettingSource>;

/** The hub values in effect now (docs/hub.md, "Settings and environment"). */
export const HubInEffect = z.object({
  endpoint: z.object({ value: z.string(), source: SettingSource }),
  token: z.object({ set: z.boolean(), hint: z.string(), source: SettingSource }),
  /** HF_HUB_CACHE / HF_HOME, read once at start (changing it needs a restart). */
  cache_dir: z.string(),
});
export type HubInEffect = z.infer<typeof HubInEffect>;

/** Settings as answered: a secret key carries its hint (`hf_…abcd`, any text) or "" when unset. */
export const SettingsView = Settings.extend({ hf_token: z.string() });

export const SettingsResponse = z.object({ settings: SettingsView, hub: HubInEffect.optional() });
export type SettingsResponse = z.infer<typeof SettingsResponse>;

/** The settings changed (admins only); carries the keys that changed, not their values. */
export const SettingsChangedEvent = z.object({ type: z.literal('settings.changed'), keys: z.array(z.string()) });
export type SettingsChangedEvent = z.infer<typeof SettingsChangedEvent>;
