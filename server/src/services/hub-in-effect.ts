import type { HubInEffect } from '@mlx-manager/contract';
import type { HubContext } from '../hub/context.js';
import { secretHint } from './secret-box.js';

/** What the Settings page shows about the hub: values in effect, where each comes from, never the token itself. */
export function hubInEffectView(hub: HubContext): HubInEffect {
  const values = hub.inEffect?.();
  if (!values) {
    // A context fixed by its creator (tests): its endpoint is all we know.
    return { endpoint: { value: hub.endpoint, source: 'environment' }, token: { set: false, hint: '', source: 'default' }, cache_dir: hub.cacheDir };
  }
  const token = values.token.value;
  return {
    endpoint: values.endpoint,
    token: { set: token !== undefined, hint: token === undefined ? '' : secretHint(token), source: values.token.source },
    cache_dir: hub.cacheDir,
  };
}
