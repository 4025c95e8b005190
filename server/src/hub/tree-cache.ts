import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HubTreeEntry } from './client.js';
import { exists, writeFileAtomic } from './fs-safe.js';

/**
 * Two small files newer huggingface_hub versions write beside the cache, reproduced so a cache
 * we fill looks the same as one Python filled: the per-commit file listing
 * (`trees/<commit>.json`, format_version 1) and the standard `CACHEDIR.TAG` (backup tools skip it).
 */

export function treeCacheJson(tree: readonly HubTreeEntry[]): string {
  const files: Record<string, Record<string, unknown>> = {};
  const entries = tree.filter((e) => e.type === 'file').sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const e of entries) {
    files[e.path] = { size: e.size, blob_id: e.oid, ...(e.lfs ? { lfs_sha256: e.lfs.oid, lfs_size: e.lfs.size } : {}) };
  }
  return JSON.stringify({ format_version: 1, files }, null, 1);
}

export async function writeTreeCache(path: string, tree: readonly HubTreeEntry[]): Promise<void> {
  await writeFileAtomic(path, treeCacheJson(tree));
}

const CACHEDIR_TAG = [
  'Signature: 8a477f597d28d172789f06886806bc55',
  '# This file is a cache directory tag created by huggingface_hub.',
  '# For information about cache directory tags, see:',
  '#\thttps://bford.info/cachedir/',
  '',
].join('\n');

export async function ensureCacheDirTag(cacheDir: string): Promise<void> {
  const p = join(cacheDir, 'CACHEDIR.TAG');
  if (!(await exists(p))) await writeFile(p, CACHEDIR_TAG, { flag: 'wx' }).catch(() => undefined);
}
