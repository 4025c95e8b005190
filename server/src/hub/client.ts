import type { Dispatcher } from 'undici';
import { Agent, request } from '../net/undici.js';
import { assertRepoId, isSafeRevision } from './cache-layout.js';
import { HubError, hubErrorFromStatus, hubNetworkError } from './errors.js';

/**
 * A small Hugging Face Hub client on undici (docs/hub.md, "HTTP API"): search, model info, file tree,
 * config.json, file metadata and byte streams. Failures are typed `HubError`s.
 * The token goes only to the hub's own origin, never to the file host a download redirects to.
 */

export interface HubClientOptions {
  endpoint: string;
  token?: string | undefined;
  dispatcher?: Dispatcher;
  /** Time to wait for response headers (huggingface_hub's HF_HUB_ETAG_TIMEOUT is 10 s). */
  headersTimeoutMs?: number;
  /** Longest silence inside a body before giving up. */
  bodyTimeoutMs?: number;
  userAgent?: string;
}

export const SORT_KEYS = ['downloads', 'likes', 'lastModified', 'createdAt', 'trendingScore'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface SearchParams {
  q?: string | undefined;
  author?: string | undefined;
  /** Restrict to MLX-tagged repos (the default); `false` searches everything. */
  mlx?: boolean | undefined;
  /** Extra tag filters (e.g. `gguf`). */
  filters?: string[] | undefined;
  sort?: SortKey | undefined;
  limit?: number | undefined;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined;
}

/** One model as the hub lists it (only the fields we use; everything optional is optional there too). */
export interface HubModel {
  id: string;
  author?: string;
  sha?: string;
  lastModified?: string;
  createdAt?: string;
  private?: boolean;
  gated?: false | 'auto' | 'manual' | boolean;
  downloads?: number;
  likes?: number;
  tags?: string[];
  pipeline_tag?: string;
  library_name?: string;
  usedStorage?: number;
  safetensors?: { parameters?: Record<string, number>; total?: number };
  config?: Record<string, unknown>;
  siblings?: { rfilename: string; size?: number; blobId?: string; lfs?: { sha256: string; size: number } }[];
}

export interface SearchPage {
  models: HubModel[];
  nextCursor?: string | undefined;
}

export interface HubTreeEntry {
  type: 'file' | 'directory';
  path: string;
  size: number;
  oid: string;
  lfs?: { oid: string; size: number; pointerSize?: number };
}

/** What a HEAD on `resolve` tells (huggingface_hub's `get_hf_file_metadata`). */
export interface FileMetadata {
  commit: string;
  etag: string;
  size: number;
  /** Absolute URL to GET the bytes from (the file host for LFS files). */
  location: string;
}

export interface ByteStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

const SEARCH_EXPAND = [
  'author', 'downloads', 'likes', 'lastModified', 'createdAt', 'tags', 'pipeline_tag',
  'library_name', 'gated', 'private', 'sha', 'usedStorage', 'safetensors',
];

function header(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `W/"abc"` → `abc`, as huggingface_hub's `_normalize_etag`. */
export function normalizeEtag(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return raw.replace(/^W\//, '').replace(/"/g, '');
}

/** The `rel="next"` URL of a GitHub-style `Link` header. */
export function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (m?.[1]) return m[1];
  }
  return undefined;
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

export class HubClient {
  readonly endpoint: string;
  private readonly origin: string;
  private readonly token: string | undefined;
  private readonly dispatcher: Dispatcher;
  private readonly ownDispatcher: boolean;
  private readonly headersTimeout: number;
  private readonly bodyTimeout: number;
  private readonly userAgent: string;

  constructor(opts: HubClientOptions) {
    this.endpoint = opts.endpoint.replace(/\/+$/, '');
    this.origin = new URL(this.endpoint).origin;
    this.token = opts.token;
    this.ownDispatcher = opts.dispatcher === undefined;
    this.dispatcher = opts.dispatcher ?? new Agent({ connections: 32, keepAliveTimeout: 10_000 });
    this.headersTimeout = opts.headersTimeoutMs ?? 10_000;
    this.bodyTimeout = opts.bodyTimeoutMs ?? 30_000;
    this.userAgent = opts.userAgent ?? 'mlx-manager';
  }

  async close(): Promise<void> {
    if (this.ownDispatcher) await this.dispatcher.close();
  }

  private headersFor(url: string, extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': this.userAgent, ...extra };
    // The bearer token is for the hub only; presigned file-host URLs must not receive it.
    if (this.token && new URL(url).origin === this.origin) h.authorization = `Bearer ${this.token}`;
    return h;
  }

  private async send(
    url: string,
    what: string,
    init: { method?: 'GET' | 'HEAD'; headers?: Record<string, string>; signal?: AbortSignal | undefined } = {},
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, {
        method: init.method ?? 'GET',
        headers: this.headersFor(url, init.headers),
        dispatcher: this.dispatcher,
        signal: init.signal,
        headersTimeout: this.headersTimeout,
        bodyTimeout: this.bodyTimeout,
      });
    } catch (err) {
      throw hubNetworkError(err, what, new URL(url).origin);
    }
  }

  private async fail(res: Dispatcher.ResponseData, what: string): Promise<never> {
    await res.body.dump().catch(() => undefined);
    throw hubErrorFromStatus(
      res.statusCode,
      {
        errorCode: header(res.headers, 'x-error-code'),
        errorMessage: header(res.headers, 'x-error-message'),
        retryAfter: header(res.headers, 'retry-after'),
      },
      what,
    );
  }

  private async getJson<T>(url: string, what: string, signal?: AbortSignal): Promise<{ data: T; next?: string | undefined }> {
    const res = await this.send(url, what, { headers: { accept: 'application/json' }, signal });
    if (res.statusCode !== 200) return this.fail(res, what);
    let data: T;
    try {
      data = (await res.body.json()) as T;
    } catch (err) {
      throw new HubError('bad_response', `${what}: the hub answered invalid JSON`, { cause: err });
    }
    return { data, next: nextLink(header(res.headers, 'link')) };
  }

  /** One page of `GET /api/models`. */
  async search(params: SearchParams, signal?: AbortSignal): Promise<SearchPage> {
    let url: string;
    if (params.cursor !== undefined) {
      url = this.decodeCursor(params.cursor);
    } else {
      const qs = new URLSearchParams();
      if (params.q) qs.set('search', params.q);
      if (params.author) qs.set('author', params.author);
      if (params.mlx !== false) qs.append('filter', 'mlx');
      for (const f of params.filters ?? []) qs.append('filter', f);
      if (params.sort) {
        qs.set('sort', params.sort);
        qs.set('direction', '-1');
      }
      qs.set('limit', String(Math.min(Math.max(params.limit ?? 20, 1), 100)));
      for (const e of SEARCH_EXPAND) qs.append('expand[]', e);
      url = `${this.endpoint}/api/models?${qs.toString()}`;
    }
    const { data, next } = await this.getJson<unknown>(url, 'search', signal);
    if (!Array.isArray(data)) throw new HubError('bad_response', 'search: the hub did not answer a list');
    const models = (data as HubModel[]).filter((m) => typeof m?.id === 'string');
    return { models, nextCursor: next === undefined ? undefined : this.encodeCursor(next) };
  }

  private encodeCursor(nextUrl: string): string {
    return Buffer.from(nextUrl, 'utf8').toString('base64url');
  }

  /** A cursor is the hub's own next-page URL; refuse anything pointing elsewhere (no open proxy). */
  private decodeCursor(cursor: string): string {
    const url = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!url.startsWith(`${this.endpoint}/api/models?`)) throw new HubError('invalid', 'search: invalid cursor', { status: 400 });
    return url;
  }

  /** `GET /api/models/{repo}[/revision/{rev}]?blobs=true`: info with file sizes and the resolved commit. */
  async modelInfo(repo: string, revision?: string, signal?: AbortSignal): Promise<HubModel & { sha: string }> {
    assertRepoId(repo);
    if (revision !== undefined && !isSafeRevision(revision)) throw new HubError('not_found', `invalid revision ${JSON.stringify(revision)}`);
    const base = `${this.endpoint}/api/models/${repo}`;
    const url = `${revision === undefined ? base : `${base}/revision/${encodeURIComponent(revision)}`}?blobs=true`;
    const { data } = await this.getJson<HubModel>(url, repo, signal);
    if (typeof data?.id !== 'string' || typeof data.sha !== 'string') throw new HubError('bad_response', `${repo}: model info without id or sha`);
    return data as HubModel & { sha: string };
  }

  /** Every entry of the repo at `revision`, following pagination. */
  async listTree(repo: string, revision: string, signal?: AbortSignal, maxPages = 1000): Promise<HubTreeEntry[]> {
    assertRepoId(repo);
    let url: string | undefined = `${this.endpoint}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true&expand=false`;
    const out: HubTreeEntry[] = [];
    for (let page = 0; url !== undefined; page++) {
      if (page >= maxPages) throw new HubError('bad_response', `${repo}: file tree has too many pages`);
      const res: { data: unknown; next?: string | undefined } = await this.getJson<unknown>(url, repo, signal);
      if (!Array.isArray(res.data)) throw new HubError('bad_response', `${repo}: file tree is not a list`);
      out.push(...(res.data as HubTreeEntry[]));
      // Only follow pages on the hub itself.
      url = res.next !== undefined && res.next.startsWith(`${this.endpoint}/`) ? res.next : undefined;
    }
    return out;
  }

  /** The repo's `config.json`, or undefined when it has none. */
  async fetchConfig(repo: string, revision = 'main', signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    assertRepoId(repo);
    const url = this.resolveUrl(repo, revision, 'config.json');
    const res = await this.send(url, `${repo}/config.json`, { signal });
    if (res.statusCode === 404) {
      await res.body.dump();
      return undefined;
    }
    if (res.statusCode !== 200) return this.fail(res, `${repo}/config.json`);
    try {
      const data = (await res.body.json()) as unknown;
      return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // a broken config.json is "no config", not an error of the search page
    }
  }

  /**
   * A small text file of the repo (the README), at most `maxBytes` of it; undefined when the
   * repo has none. Read as a stream and cut, so a huge file never lands in memory.
   */
  async fetchText(repo: string, revision: string, path: string, maxBytes: number, signal?: AbortSignal): Promise<{ text: string; truncated: boolean } | undefined> {
    assertRepoId(repo);
    const what = `${repo}/${path}`;
    const res = await this.send(this.resolveUrl(repo, revision, path), what, { signal });
    if (res.statusCode === 404) {
      await res.body.dump();
      return undefined;
    }
    if (res.statusCode !== 200) return this.fail(res, what);
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      chunks.push(buf.subarray(0, maxBytes - size));
      size += Math.min(buf.length, maxBytes - size);
      if (size >= maxBytes) {
        truncated = true;
        res.body.destroy();
        break;
      }
    }
    return { text: Buffer.concat(chunks).toString('utf8'), truncated };
  }

  resolveUrl(repo: string, revision: string, path: string): string {
    return `${this.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encodePath(path)}`;
  }

  /**
   * HEAD on `resolve`, following relative redirects only (renamed repos), like huggingface_hub:
   * the absolute redirect to the file host is reported as `location`, not followed.
   */
  async fileMetadata(repo: string, revision: string, path: string, signal?: AbortSignal): Promise<FileMetadata> {
    let url = this.resolveUrl(repo, revision, path);
    const what = `${repo}/${path}`;
    for (let hop = 0; hop < 5; hop++) {
      const res = await this.send(url, what, { method: 'HEAD', headers: { 'accept-encoding': 'identity' }, signal });
      await res.body.dump();
      const h = res.headers;
      const loc = header(h, 'location');
      if (res.statusCode >= 300 && res.statusCode < 400 && loc !== undefined && loc.startsWith('/')) {
        url = new URL(loc, url).toString();
        continue;
      }
      if (res.statusCode >= 400) return this.fail(res, what);
      const etag = normalizeEtag(header(h, 'x-linked-etag') ?? header(h, 'etag'));
      const commit = header(h, 'x-repo-commit');
      const sizeRaw = header(h, 'x-linked-size') ?? (loc === undefined ? header(h, 'content-length') : undefined);
      const size = sizeRaw === undefined ? NaN : Number(sizeRaw);
      if (!etag || !commit || !Number.isSafeInteger(size) || size < 0) {
        throw new HubError('bad_response', `${what}: missing ETag, X-Repo-Commit or size in the hub's answer`);
      }
      return { commit, etag, size, location: loc === undefined ? url : new URL(loc, url).toString() };
    }
    throw new HubError('bad_response', `${what}: too many redirects`);
  }

  /** GET bytes `[start, end]` (inclusive; `end` omitted = to the end), following redirects. */
  async openBytes(url: string, range: { start: number; end?: number | undefined } | undefined, signal?: AbortSignal): Promise<ByteStream> {
    const what = 'download';
    let current = url;
    for (let hop = 0; hop < 5; hop++) {
      const headers: Record<string, string> = { 'accept-encoding': 'identity' };
      if (range) headers.range = `bytes=${range.start}-${range.end ?? ''}`;
      const res = await this.send(current, what, { headers, signal });
      const loc = header(res.headers, 'location');
      if (res.statusCode >= 300 && res.statusCode < 400 && loc !== undefined) {
        await res.body.dump();
        current = new URL(loc, current).toString();
        continue;
      }
      if (res.statusCode !== 200 && res.statusCode !== 206) return this.fail(res, what);
      return { status: res.statusCode, headers: res.headers, body: res.body };
    }
    throw new HubError('bad_response', `${what}: too many redirects`);
  }
}
