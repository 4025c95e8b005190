import type { Dispatcher } from 'undici';
import { Agent } from '../net/undici.js';
import { HubClient } from './client.js';
import { resolveHubEnv, resolveToken, tokenFromEnv } from './endpoint.js';
import { hubValuesInEffect, type HubOverrides, type HubValuesInEffect } from './in-effect.js';

/** The hub side of this process: client, cache folder, offline flag (HF_* env vars, runtime settings). */
export interface HubContext {
  /**
   * The client for the endpoint and token in effect now. Read it at each use: after a settings
   * change the next read gives a client for the new values (a download already running keeps its own).
   */
  readonly client: HubClient;
  /** HF_HUB_CACHE / HF_HOME: read once at start. */
  cacheDir: string;
  offline: boolean;
  readonly endpoint: string;
  /** The endpoint and token in effect and where each comes from (absent on a fixed test context). */
  inEffect?: () => HubValuesInEffect;
}

export interface HubContextOptions {
  dispatcher?: Dispatcher;
  /** The runtime settings, read at each use; without it only the environment counts (the CLI). */
  overrides?: () => HubOverrides;
}

const NO_OVERRIDES: HubOverrides = { hf_endpoint: '', hf_token: '' };

export async function createHubContext(
  env: Readonly<Record<string, string | undefined>>,
  opts: HubContextOptions = {},
): Promise<HubContext & { close(): Promise<void> }> {
  const hubEnv = resolveHubEnv(env);
  const envToken = tokenFromEnv(env);
  const token = envToken ?? (await resolveToken(env, hubEnv));
  const fromEnv = {
    endpoint: env.HF_ENDPOINT ? hubEnv.endpoint : undefined,
    token,
    tokenSource: envToken === undefined ? ('token_file' as const) : ('environment' as const),
  };
  // One connection pool for every client, so replacing the client never leaks sockets.
  const dispatcher = opts.dispatcher ?? new Agent({ connections: 32, keepAliveTimeout: 10_000 });
  const inEffect = (): HubValuesInEffect => hubValuesInEffect(fromEnv, opts.overrides?.() ?? NO_OVERRIDES);

  let current: { key: string; client: HubClient } | undefined;
  const clientNow = (): HubClient => {
    const values = inEffect();
    const key = JSON.stringify([values.endpoint.value, values.token.value ?? null]);
    if (current?.key !== key) {
      current = {
        key,
        client: new HubClient({
          endpoint: values.endpoint.value,
          token: values.token.value,
          headersTimeoutMs: hubEnv.etagTimeoutSeconds * 1000,
          bodyTimeoutMs: hubEnv.downloadTimeoutSeconds * 1000,
          dispatcher,
        }),
      };
    }
    return current.client;
  };

  return {
    get client() {
      return clientNow();
    },
    get endpoint() {
      return inEffect().endpoint.value;
    },
    cacheDir: hubEnv.cacheDir,
    offline: hubEnv.offline,
    inEffect,
    /** Closes the connection pool (when this context created it). */
    async close() {
      if (!opts.dispatcher) await dispatcher.close();
    },
  };
}
