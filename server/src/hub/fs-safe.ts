import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readlink, rename, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { HubError } from './errors.js';

/** Small file-system helpers that refuse to follow links planted inside the cache. */

export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Create the folders from `root` down to `dir`, refusing when any existing component below
 * `root` is a symlink (a planted link would redirect our writes outside the cache).
 */
export async function mkdirNoLinks(root: string, dir: string): Promise<void> {
  const rel = relative(root, dir);
  if (rel.startsWith('..')) throw new HubError('hostile', `refusing to write outside ${root}`);
  let cur = root;
  await mkdir(root, { recursive: true });
  for (const seg of rel === '' ? [] : rel.split(sep)) {
    cur = join(cur, seg);
    try {
      const st = await lstat(cur);
      if (st.isSymbolicLink()) throw new HubError('hostile', `refusing to write through the link ${cur}`);
      if (!st.isDirectory()) throw new HubError('hostile', `${cur} is a file where a folder is expected`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(cur).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    }
  }
}

/** Write a small file atomically (tmp + rename) so a crash never leaves half of it. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Point `linkPath` at `target` (relative), replacing whatever link is there, atomically. */
export async function symlinkAtomic(target: string, linkPath: string): Promise<void> {
  try {
    const st = await lstat(linkPath);
    if (st.isSymbolicLink() && (await readlink(linkPath)) === target) return;
    if (st.isDirectory()) throw new HubError('hostile', `${linkPath} is a folder where a file is expected`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tmp = join(dirname(linkPath), `.${randomBytes(4).toString('hex')}.link.tmp`);
  await symlink(target, tmp);
  try {
    await rename(tmp, linkPath);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

export async function removeIfExists(p: string): Promise<void> {
  try {
    await unlink(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
