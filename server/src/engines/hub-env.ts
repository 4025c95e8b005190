// What an engine needs to fetch a repo id from the hub the way our downloader would: the token
// and endpoint in effect (the Settings page wins over the manager's environment) and the cache
// folder our downloads go to, so an engine finds what we downloaded and adds what it fetches
// beside it. Pure: the caller reads the values at spawn time, so a changed setting applies to
// the next start. See docs/hub.md, "Engines and the hub".
import type { SettingSource } from '@mlx-manager/contract';

/** The hub values in effect, as the hub context reports them. */
export interface EngineHubValues {
  endpoint: { value: string; source: SettingSource };
  token: { value: string | undefined };
  cacheDir: string;
}

/**
 * HF_HUB_CACHE always; HF_ENDPOINT when one was chosen (the default is what every engine uses
 * anyway); HF_TOKEN when a token is in effect. A profile's own `env` still wins over these.
 */
export function engineHubEnv(values: EngineHubValues): Record<string, string> {
  const env: Record<string, string> = { HF_HUB_CACHE: values.cacheDir };
  if (values.endpoint.source !== 'default') env.HF_ENDPOINT = values.endpoint.value;
  if (values.token.value !== undefined) env.HF_TOKEN = values.token.value;
  return env;
}
