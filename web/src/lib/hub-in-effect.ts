import type { HubInEffect, SettingSource } from '@mlx-manager/contract';

/*
 * The Settings page's lines about the hub values in effect: which address and token the
 * server uses now, and where each comes from (this page, an environment variable, the token
 * file, the default). A value set on the page wins over the environment.
 */

function origin(source: SettingSource, envName: string): string {
  switch (source) {
    case 'settings':
      return 'set on this page';
    case 'environment':
      return `from ${envName}`;
    case 'token_file':
      return 'from the token file in HF_HOME';
    case 'default':
      return 'default';
  }
}

/** "In use: https://huggingface.co (default)". */
export function endpointInEffect(hub: HubInEffect): string {
  return `In use: ${hub.endpoint.value} (${origin(hub.endpoint.source, 'HF_ENDPOINT')})`;
}

/** "In use: hf_…abcd (from HF_TOKEN)", or that no token is in use. */
export function tokenInEffect(hub: HubInEffect): string {
  if (!hub.token.set) return 'No token in use: gated and private repos are refused.';
  return `In use: ${hub.token.hint} (${origin(hub.token.source, 'HF_TOKEN')})`;
}

/** The one hub value fixed at start. */
export function cacheDirLine(hub: HubInEffect): string {
  return `Models are stored in ${hub.cache_dir} (HF_HUB_CACHE / HF_HOME, read at start: changing it needs a restart).`;
}
