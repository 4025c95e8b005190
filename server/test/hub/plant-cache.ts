// Writes a repo into a Hugging Face cache folder the way huggingface_hub lays it out (blobs by
// content hash, snapshot entries as relative links, refs/main), without a hub: for tests that
// need "a model on disk", including one updated to a new commit.
import { createHash } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

export interface PlantedRepo {
  repoDir: string;
  commit: string;
  snapshotDir: string;
}

/** Files (path in the repo → bytes) as a new snapshot; refs/main moves to it. */
export async function plantRepo(cacheDir: string, repo: string, files: ReadonlyMap<string, Uint8Array | string>, commitSeed = 'v1'): Promise<PlantedRepo> {
  const repoDir = join(cacheDir, `models--${repo.replace('/', '--')}`);
  const commit = createHash('sha1').update(`${repo}@${commitSeed}`).digest('hex');
  const snapshotDir = join(repoDir, 'snapshots', commit);
  await mkdir(join(repoDir, 'blobs'), { recursive: true });
  await mkdir(join(repoDir, 'refs'), { recursive: true });
  for (const [path, content] of files) {
    const blob = join(repoDir, 'blobs', createHash('sha256').update(content).digest('hex'));
    await writeFile(blob, content);
    const entry = join(snapshotDir, ...path.split('/'));
    await mkdir(dirname(entry), { recursive: true });
    await symlink(relative(dirname(entry), blob), entry);
  }
  await writeFile(join(repoDir, 'refs', 'main'), commit);
  return { repoDir, commit, snapshotDir };
}
