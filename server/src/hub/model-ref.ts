import { isAbsolute, join, relative, sep } from 'node:path';
import { repoFolderName } from './cache-layout.js';

/**
 * Whether a profile's `model` (a repo id, or an absolute path into the cache such as a snapshot
 * folder or one GGUF file in it) refers to `repo`. Pure.
 */
export function modelRefersTo(model: string, repo: string, cacheDir: string): boolean {
  if (model === repo) return true;
  if (!isAbsolute(model)) return false;
  const rel = relative(join(cacheDir, repoFolderName(repo)), model);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}
