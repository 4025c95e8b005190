import { isEtag, isSafeRelativePath } from './cache-layout.js';
import { HubError } from './errors.js';
import type { HubTreeEntry } from './client.js';

/** One file to fetch; `sha256` only for LFS files (the hub announces it, we verify it). */
export interface PlannedFile {
  path: string;
  size: number;
  /** Blob name: sha256 for LFS, git sha1 otherwise. */
  etag: string;
  sha256?: string | undefined;
}

export interface DownloadPlan {
  files: PlannedFile[];
  totalBytes: number;
}

/** Python fnmatch semantics as huggingface_hub's `filter_repo_objects` uses them (`*` crosses `/`). */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.endsWith('/') ? `${glob}*` : glob;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  pattern = re;
  return new RegExp(`^${pattern}$`, 's');
}

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(path));
}

/**
 * Turn the hub's file tree into a plan. Every file entry is validated (even ones the selection
 * leaves out: a hub that sends one hostile name is not trusted for the others).
 */
export function planDownload(tree: readonly HubTreeEntry[], include?: readonly string[]): DownloadPlan {
  const seen = new Set<string>();
  const files: PlannedFile[] = [];
  for (const e of tree) {
    if (e === null || typeof e !== 'object') throw new HubError('bad_response', 'file tree entry is not an object');
    if (e.type === 'directory') continue;
    if (e.type !== 'file' || typeof e.path !== 'string') throw new HubError('bad_response', 'file tree entry without type or path');
    if (!isSafeRelativePath(e.path)) throw new HubError('hostile', `refusing unsafe file path ${JSON.stringify(e.path)} from the hub`);
    const key = e.path.toLowerCase(); // case-insensitive file systems would merge these
    if (seen.has(key)) throw new HubError('hostile', `the hub listed ${JSON.stringify(e.path)} twice`);
    seen.add(key);
    const size = e.lfs?.size ?? e.size;
    if (!Number.isSafeInteger(size) || size < 0) throw new HubError('bad_response', `invalid size for ${e.path}`);
    const etag = e.lfs?.oid ?? e.oid;
    if (typeof etag !== 'string' || !isEtag(etag)) throw new HubError('hostile', `refusing unsafe blob id ${JSON.stringify(etag)} for ${e.path}`);
    if (include && include.length > 0 && !matchesAny(e.path, include)) continue;
    files.push({ path: e.path, size, etag, sha256: e.lfs ? e.lfs.oid : undefined });
  }
  // A directory prefix of a file (`a` and `a/b`) cannot both exist on disk.
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (seen.has(parts.slice(0, i).join('/').toLowerCase())) throw new HubError('hostile', `the hub listed ${f.path} below a file`);
    }
  }
  return { files, totalBytes: files.reduce((n, f) => n + f.size, 0) };
}
