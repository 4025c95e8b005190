import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the hub is and where its cache lives, resolved like huggingface_hub's `constants.py`. */
export interface HubEnv {
  /** Base URL without a trailing slash. */
  endpoint: string;
  /** `HF_HOME`: root of the huggingface folder. */
  hfHome: string;
  /** `HF_HUB_CACHE`: the folder holding `models--org--name/`. */
  cacheDir: string;
  /** File the token is read from when no env var carries one. */
  tokenPath: string;
  /** `HF_HUB_OFFLINE` / `TRANSFORMERS_OFFLINE`: cache only, no network. */
  offline: boolean;
  /** `HF_HUB_ETAG_TIMEOUT`: seconds to wait for metadata answers (default 10). */
  etagTimeoutSeconds: number;
  /** `HF_HUB_DOWNLOAD_TIMEOUT`: seconds of silence tolerated while downloading (default 10). */
  downloadTimeoutSeconds: number;
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

type Env = Readonly<Record<string, string | undefined>>;

/** Python's `os.path.expanduser` for the `~` and `~/…` forms. */
function expandUser(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

/** An env var counts only when set; Python treats `""` as set, we treat it as unset (safer). */
function get(env: Env, key: string): string | undefined {
  const v = env[key];
  return v === undefined || v === '' ? undefined : v;
}

/** huggingface_hub's `_is_true`: "1", "ON", "YES", "TRUE" (any case). */
function isTrue(v: string | undefined): boolean {
  return v !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(v.toUpperCase());
}

/**
 * Pure resolution of the hub env vars with huggingface_hub's precedence:
 * HF_HOME = $HF_HOME ?? $XDG_CACHE_HOME/huggingface ?? ~/.cache/huggingface;
 * cache = $HF_HUB_CACHE ?? $HUGGINGFACE_HUB_CACHE ?? $HF_HOME/hub;
 * token file = $HF_TOKEN_PATH ?? $HF_HOME/token; endpoint = $HF_ENDPOINT (trailing `/` stripped).
 */
export function resolveHubEnv(env: Env, home: string = homedir()): HubEnv {
  const xdg = expandUser(get(env, 'XDG_CACHE_HOME') ?? '~/.cache', home);
  const hfHome = expandUser(get(env, 'HF_HOME') ?? join(xdg, 'huggingface'), home);
  const legacyCache = expandUser(get(env, 'HUGGINGFACE_HUB_CACHE') ?? join(hfHome, 'hub'), home);
  const cacheDir = expandUser(get(env, 'HF_HUB_CACHE') ?? legacyCache, home);
  const tokenPath = expandUser(get(env, 'HF_TOKEN_PATH') ?? join(hfHome, 'token'), home);
  const endpoint = (get(env, 'HF_ENDPOINT') ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const offline = isTrue(get(env, 'HF_HUB_OFFLINE')) || isTrue(get(env, 'TRANSFORMERS_OFFLINE'));
  const seconds = (key: string): number => {
    const n = Number(get(env, key));
    return Number.isFinite(n) && n > 0 ? n : 10;
  };
  return { endpoint, hfHome, cacheDir, tokenPath, offline, etagTimeoutSeconds: seconds('HF_HUB_ETAG_TIMEOUT'), downloadTimeoutSeconds: seconds('HF_HUB_DOWNLOAD_TIMEOUT') };
}

/** huggingface_hub's `_clean_token`: strip, drop CR/LF; empty means "no token". */
export function cleanToken(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const t = raw.replace(/[\r\n]/g, '').trim();
  return t === '' ? undefined : t;
}

/** Token from the environment only: `HF_TOKEN` beats the legacy `HUGGING_FACE_HUB_TOKEN`. */
export function tokenFromEnv(env: Env): string | undefined {
  return cleanToken(env.HF_TOKEN) ?? cleanToken(env.HUGGING_FACE_HUB_TOKEN);
}

/** Token with the full precedence: env vars, then the token file (missing file = no token). */
export async function resolveToken(env: Env, hubEnv: HubEnv): Promise<string | undefined> {
  const fromEnv = tokenFromEnv(env);
  if (fromEnv !== undefined) return fromEnv;
  try {
    return cleanToken(await readFile(hubEnv.tokenPath, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
