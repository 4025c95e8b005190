/** Why a hub operation failed, in words a user can act on. */
export type HubErrorKind =
  | 'unauthorized' // 401: private or missing repo without a (valid) token
  | 'gated' // 403 / GatedRepo: the token has no access to a gated repo
  | 'not_found' // 404: repo, revision or file does not exist
  | 'rate_limited' // 429: retry after `retryAfterSeconds`
  | 'server' // 5xx
  | 'network' // connection refused, DNS, reset, timeout
  | 'bad_response' // the hub answered something we cannot parse
  | 'hostile' // the hub answered something unsafe (paths, sizes, names)
  | 'checksum' // downloaded bytes do not match the announced sha256
  | 'disk_full' // not enough free space for the download
  | 'offline' // HF_HUB_OFFLINE is set
  | 'busy' // another process is downloading the same repo
  | 'invalid' // our caller's input is wrong (e.g. a forged search cursor)
  | 'cancelled';

export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly kind: HubErrorKind,
    message: string,
    readonly opts: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
  get status(): number | undefined {
    return this.opts.status;
  }
  get retryAfterSeconds(): number | undefined {
    return this.opts.retryAfterSeconds;
  }
  /** Worth trying again later without changing anything. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'network';
  }
}

/** `Retry-After` as seconds (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) return n;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Map an HTTP error answer of the hub to a typed error (hub's `X-Error-Code` wins over the status). */
export function hubErrorFromStatus(
  status: number,
  headers: { errorCode?: string; errorMessage?: string; retryAfter?: string },
  what: string,
): HubError {
  const detail = headers.errorMessage ? `: ${headers.errorMessage}` : '';
  if (headers.errorCode === 'GatedRepo' || status === 403) {
    return new HubError('gated', `${what} is gated: accept its terms on the hub and set a Hugging Face token in Settings (or HF_TOKEN)${detail}`, { status });
  }
  if (status === 401) {
    return new HubError('unauthorized', `${what} needs authentication (private, or does not exist): set a Hugging Face token in Settings (or HF_TOKEN)${detail}`, { status });
  }
  if (status === 404) {
    const which =
      headers.errorCode === 'RevisionNotFound' ? 'revision not found' : headers.errorCode === 'EntryNotFound' ? 'file not found' : 'not found';
    return new HubError('not_found', `${what}: ${which}${detail}`, { status });
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headers.retryAfter);
    const when = retryAfterSeconds === undefined ? 'later' : `in ${retryAfterSeconds}s`;
    return new HubError('rate_limited', `${what}: rate limited by the hub, retry ${when}`, { status, retryAfterSeconds });
  }
  if (status >= 500) return new HubError('server', `${what}: hub error ${status}${detail}`, { status });
  return new HubError('bad_response', `${what}: unexpected status ${status}${detail}`, { status });
}

/** Why a connection failed, in words (by the socket error's code). */
function networkReason(code: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'its name does not resolve, so this machine looks offline or has no DNS';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'the connection dropped';
  if (code === 'ETIMEDOUT' || code.includes('TIMEOUT')) return 'it did not answer in time';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the network has no route to it';
  if (code.startsWith('CERT_') || code.includes('SSL') || code.includes('TLS') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') return 'its certificate was not accepted';
  return `the connection failed (${code})`;
}

/**
 * Network-level failure (no HTTP answer) as a typed error whose message a person can act on: the
 * address tried, why it failed, the two settings that change where the hub is reached (a mirror
 * through HF_ENDPOINT, a proxy through HTTPS_PROXY), and that local models are unaffected.
 */
export function hubNetworkError(err: unknown, what: string, address?: string): HubError {
  if (err instanceof HubError) return err;
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === 'AbortError') return new HubError('cancelled', `${what}: cancelled`, { cause: err });
  const code = e.code ?? e.name ?? 'error';
  const where = address ? `the model hub at ${address}` : 'the model hub';
  return new HubError(
    'network',
    `${what}: cannot reach ${where}: ${networkReason(code)} (${code}). Check the internet connection; to use a mirror set ` +
      'HF_ENDPOINT, behind a proxy set HTTPS_PROXY. Models already downloaded and their profiles keep working.',
    { cause: err },
  );
}
