// How much memory a model will take, estimated by the size of its files on disk: the weights
// dominate, and an engine maps or loads them whole. A repo id is looked up in the Hugging Face
// cache (the snapshot refs/main points at); an absolute path is a .gguf file or a model folder.
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { isValidRepoId, repoFolderName } from '../hub/cache-layout.js';
import { scanRepo } from '../hub/cache-scan.js';

/** Bytes of the model's files, or null when they cannot be found (then it is not counted). */
export async function modelSizeOnDisk(model: string, cacheDir: string): Promise<number | null> {
  if (isAbsolute(model)) return pathSize(model, 0);
  if (!isValidRepoId(model)) return null;
  const repo = await scanRepo(cacheDir, repoFolderName(model));
  return repo ? repo.size_bytes : null;
}

/** A file's size, or the files of a folder summed (links followed, as an engine would read them). */
async function pathSize(p: string, depth: number): Promise<number | null> {
  const st = await stat(p).catch(() => null);
  if (!st) return null;
  if (st.isFile()) return st.size;
  if (!st.isDirectory() || depth > 8) return null;
  let total = 0;
  for (const name of await readdir(p).catch(() => [])) total += (await pathSize(join(p, name), depth + 1)) ?? 0;
  return total;
}
