import { lstat, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isCommitHash, repoFolderName } from './cache-layout.js';
import { HubError } from './errors.js';
import { scanRepo, snapshotBlobNames } from './cache-scan.js';

/** Remove models from the cache: a whole repo, or one snapshot and the blobs only it used. */

/** Delete `models--org--name` (and its lock folder). Returns false when the repo was not there. */
export async function deleteRepo(cacheDir: string, repoId: string): Promise<boolean> {
  const folder = repoFolderName(repoId);
  const repoDir = join(cacheDir, folder);
  const st = await lstat(repoDir).catch(() => undefined);
  if (!st) return false;
  // A link named like a repo folder is removed as a link, never followed.
  if (st.isSymbolicLink()) await unlink(repoDir);
  else await rm(repoDir, { recursive: true, force: true });
  await rm(join(cacheDir, '.locks', folder), { recursive: true, force: true });
  return true;
}

/**
 * Delete one snapshot, the refs that point to it, and the blobs no remaining snapshot links to.
 * When it was the last snapshot the whole repo folder goes. Returns bytes freed.
 */
export async function deleteSnapshot(cacheDir: string, repoId: string, commit: string): Promise<number> {
  if (!isCommitHash(commit)) throw new HubError('not_found', `invalid commit ${JSON.stringify(commit)}`);
  const repoDir = join(cacheDir, repoFolderName(repoId));
  const snapsDir = join(repoDir, 'snapshots');
  const before = await scanRepo(cacheDir, repoFolderName(repoId));
  const others = (await readdir(snapsDir).catch(() => [] as string[])).filter((c) => c !== commit);
  if (others.length === 0) {
    const freed = before?.disk_bytes ?? 0;
    await deleteRepo(cacheDir, repoId);
    return freed;
  }
  const keep = new Set<string>();
  for (const c of others) for (const b of await snapshotBlobNames(join(snapsDir, c))) keep.add(b);
  await rm(join(snapsDir, commit), { recursive: true, force: true });
  let freed = 0;
  for (const b of await readdir(join(repoDir, 'blobs')).catch(() => [] as string[])) {
    if (keep.has(b) || b.includes('.incomplete')) continue;
    const st = await lstat(join(repoDir, 'blobs', b)).catch(() => undefined);
    if (st?.isFile()) {
      freed += st.size;
      await unlink(join(repoDir, 'blobs', b));
    }
  }
  for (const [ref, c] of Object.entries(before?.refs ?? {})) if (c === commit) await rm(join(repoDir, 'refs', ref), { force: true });
  return freed;
}
