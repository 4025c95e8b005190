import type { SettingSource } from '@mlx-manager/contract';
import { DEFAULT_ENDPOINT } from './endpoint.js';

/*
 * Which hub endpoint and token apply, from the Settings page and the environment (pure).
 * A value set in Settings wins over the environment (HF_ENDPOINT, HF_TOKEN, the token file),
 * which wins over the default: the page is where an administrator acts, so what they type
 * there must take effect; the environment stays the fallback for installs that never open it.
 * docs/hub.md, "Settings and environment".
 */

/** What the environment gave at start. */
export interface HubEnvValues {
  /** HF_ENDPOINT, trailing slashes removed; undefined when unset. */
  endpoint: string | undefined;
  token: string | undefined;
  /** Where `token` came from. */
  tokenSource: 'environment' | 'token_file';
}

/** The two runtime settings (empty = not set on the page). */
export interface HubOverrides {
  hf_endpoint: string;
  hf_token: string;
}

export interface HubValuesInEffect {
  endpoint: { value: string; source: SettingSource };
  token: { value: string | undefined; source: SettingSource };
}

export function hubValuesInEffect(env: HubEnvValues, overrides: HubOverrides): HubValuesInEffect {
  const pageEndpoint = overrides.hf_endpoint.trim().replace(/\/+$/, '');
  const endpoint: HubValuesInEffect['endpoint'] =
    pageEndpoint !== '' ? { value: pageEndpoint, source: 'settings' }
    : env.endpoint !== undefined ? { value: env.endpoint, source: 'environment' }
    : { value: DEFAULT_ENDPOINT, source: 'default' };
  const pageToken = overrides.hf_token.trim();
  const token: HubValuesInEffect['token'] =
    pageToken !== '' ? { value: pageToken, source: 'settings' }
    : env.token !== undefined ? { value: env.token, source: env.tokenSource }
    : { value: undefined, source: 'default' };
  return { endpoint, token };
}
