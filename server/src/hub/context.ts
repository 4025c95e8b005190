import type { Dispatcher } from 'undici';
import { HubClient } from './client.js';
import { resolveHubEnv, resolveToken } from './endpoint.js';

/** The hub settings of this process: client, cache folder, offline flag (from HF_* env vars). */
export interface HubContext {
  client: HubClient;
  cacheDir: string;
  offline: boolean;
  endpoint: string;
}

export async function createHubContext(env: Readonly<Record<string, string | undefined>>, opts: { dispatcher?: Dispatcher } = {}): Promise<HubContext> {
  const hubEnv = resolveHubEnv(env);
  const token = await resolveToken(env, hubEnv);
  const client = new HubClient({
    endpoint: hubEnv.endpoint,
    token,
    headersTimeoutMs: hubEnv.etagTimeoutSeconds * 1000,
    bodyTimeoutMs: hubEnv.downloadTimeoutSeconds * 1000,
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  });
  return { client, cacheDir: hubEnv.cacheDir, offline: hubEnv.offline, endpoint: hubEnv.endpoint };
}
