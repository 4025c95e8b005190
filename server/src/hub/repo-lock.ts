import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { repoFolderName } from './cache-layout.js';
import { HubError } from './errors.js';
import { mkdirNoLinks } from './fs-safe.js';

/**
 * One downloader per repo across processes (the server and a CLI `models pull` share the cache):
 * a lock file holding the owner's pid under `.locks/<repo folder>/`, where huggingface_hub keeps
 * its own locks. A lock whose process is gone (crash, kill -9) is taken over.
 */

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireRepoLock(cacheDir: string, repoId: string): Promise<() => Promise<void>> {
  const dir = join(cacheDir, '.locks', repoFolderName(repoId));
  await mkdirNoLinks(cacheDir, dir);
  const path = join(dir, 'mlx-manager.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(path).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new HubError('busy', `${repoId} is already being downloaded by process ${owner}`);
      }
      await unlink(path).catch(() => undefined); // stale: its owner is gone
    }
  }
  throw new HubError('busy', `${repoId}: could not take the download lock`);
}
