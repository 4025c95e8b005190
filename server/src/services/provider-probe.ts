// The provider connection test: list the provider's models the way its clients would, and name
// the exact reason when that fails.
import type { ProviderKind, ProviderTestResult, ProviderTimeouts } from '@mlx-manager/contract';
import { Agent, request } from '../net/undici.js';
import { guardedConnector, type ResolveAll, type SsrfPolicy } from '../gateway/ssrf.js';

/** The API version header every Anthropic request carries. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** The headers that authenticate a request to a provider of this kind (none without a key). */
export function providerAuthHeaders(kind: ProviderKind, apiKey: string | null): Record<string, string> {
  if (kind === 'anthropic') return { 'anthropic-version': ANTHROPIC_VERSION, ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

/** Where a provider lists its models: OpenAI-style base URLs include `/v1`, Anthropic's is the origin. */
export function modelsUrl(kind: ProviderKind, baseUrl: string): string {
  return kind === 'anthropic' ? `${baseUrl}/v1/models` : `${baseUrl}/models`;
}

export interface ProbeTarget {
  kind: ProviderKind;
  baseUrl: string;
  apiKey: string | null;
  timeouts: ProviderTimeouts;
}

export interface ProbeOptions {
  policy: () => SsrfPolicy;
  resolveAll?: ResolveAll;
}

const DEFAULT_CONNECT_MS = 5_000;
const DEFAULT_TOTAL_MS = 15_000;
/** A models list larger than this is not a models list. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Failure = Extract<ProviderTestResult, { ok: false }>;

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|ERR_OSSL|EPROTO$)/;

/** Pure: an error from undici / node:net → the reason shown to the admin. */
export function classifyProbeError(err: unknown): Pick<Failure, 'reason' | 'message'> {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  // DOMException (abort, timeout) has a numeric code: only string codes name a system error.
  const code = [e.code, e.cause?.code].find((c): c is string => typeof c === 'string') ?? '';
  const message = e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message;
  if (code === 'ESSRF' || e.name === 'SsrfError') return { reason: 'ssrf', message: e.message };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return { reason: 'dns', message: `DNS lookup failed (${code})` };
  if (code === 'ECONNREFUSED') return { reason: 'refused', message: 'Connection refused: nothing listens at that address and port' };
  if (TLS_CODES.test(code)) return { reason: 'tls', message: `TLS failed (${code}): ${message}` };
  if (code.startsWith('UND_ERR_CONNECT_TIMEOUT')) return { reason: 'timeout', message: 'Timed out connecting' };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || e.name === 'TimeoutError' || e.name === 'AbortError') {
    return { reason: 'timeout', message: 'Timed out waiting for the answer' };
  }
  return { reason: 'network', message: code ? `${code}: ${message}` : message };
}

/** Pure: the model ids of an OpenAI- or Anthropic-style list (`{data:[{id}]}`), or null. */
export function modelIds(body: unknown): string[] | null {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return null;
  const ids = data.map((m) => (m as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string');
  return ids.length === data.length ? ids : null;
}

/** One GET of the provider's models list through an SSRF-guarded connection; never throws. */
export async function probeProvider(target: ProbeTarget, opts: ProbeOptions): Promise<ProviderTestResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const connectMs = target.timeouts.connect_ms ?? DEFAULT_CONNECT_MS;
  const totalMs = target.timeouts.total_ms ?? DEFAULT_TOTAL_MS;
  const agent = new Agent({ connect: guardedConnector(opts.policy, { timeout: connectMs }, opts.resolveAll) });
  try {
    const res = await request(modelsUrl(target.kind, target.baseUrl), {
      method: 'GET',
      dispatcher: agent,
      headers: { accept: 'application/json', ...providerAuthHeaders(target.kind, target.apiKey) },
      signal: AbortSignal.timeout(totalMs),
      headersTimeout: totalMs,
      bodyTimeout: totalMs,
    });
    const text = await readCapped(res.body, MAX_BODY_BYTES);
    if (res.statusCode === 401 || res.statusCode === 403) {
      return { ok: false, reason: 'unauthorized', status: res.statusCode, message: `The provider refused the API key (${res.statusCode}): ${excerpt(text, target.apiKey)}`, duration_ms: elapsed() };
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      return { ok: false, reason: 'http', status: res.statusCode, message: `The provider answered ${res.statusCode}: ${excerpt(text, target.apiKey)}`, duration_ms: elapsed() };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'bad_response', status: res.statusCode, message: `Not JSON: ${excerpt(text, target.apiKey)}`, duration_ms: elapsed() };
    }
    const ids = modelIds(parsed);
    if (!ids) return { ok: false, reason: 'bad_response', status: res.statusCode, message: 'The answer has no model list (expected {"data":[{"id":…}]})', duration_ms: elapsed() };
    return { ok: true, models: ids, duration_ms: elapsed() };
  } catch (err) {
    return { ok: false, ...classifyProbeError(err), duration_ms: elapsed() };
  } finally {
    await agent.close().catch(() => undefined);
  }
}

async function readCapped(body: AsyncIterable<Buffer>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) throw Object.assign(new Error(`answer larger than ${max} bytes`), { code: 'TOO_LARGE' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The start of an error body, on one line, with our key blanked out should the provider echo it. */
function excerpt(text: string, apiKey: string | null): string {
  const line = (apiKey ? text.replaceAll(apiKey, '[redacted]') : text).replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line || '(empty body)';
}
