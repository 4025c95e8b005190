// Where a GGUF profile's file is on disk: the repo's snapshot that `refs/main` points at (so an
// updated model is found at its new commit), and the chosen file inside it, which must resolve
// into the repo's own folder. Read-only; called at each start. See docs/model-files.md.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ggufQuantization, isLoadableGguf, modelFileProblem, pickModelFile, type LocalModelFiles } from '@mlx-manager/contract';
import { repoFolderName } from './cache-layout.js';
import { scanRepo, snapshotFiles } from './cache-scan.js';

export type ModelFileFailure = 'not_downloaded' | 'file_missing' | 'choose_file';

/** Why a repo's file cannot be used; `message` is for people, `reason` for the web app. */
export class ModelFileError extends Error {
  constructor(
    readonly reason: ModelFileFailure,
    message: string,
    readonly repo: string,
    readonly available: string[] = [],
  ) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** The files of the repo's current snapshot with sizes, or undefined when it is not in the cache. */
export async function localRepoFiles(cacheDir: string, repo: string): Promise<LocalModelFiles & { snapshotPath: string } | undefined> {
  const scanned = await scanRepo(cacheDir, repoFolderName(repo));
  if (!scanned) return undefined;
  const files = await snapshotFiles(join(cacheDir, repoFolderName(repo)), scanned.snapshot_path);
  return {
    repo,
    commit: scanned.commit,
    snapshotPath: scanned.snapshot_path,
    files: [...files.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, size]) => ({ path, size_bytes: size, loadable_gguf: isLoadableGguf(path), quantization: path.toLowerCase().endsWith('.gguf') ? ggufQuantization(path) : null })),
  };
}

function inside(folder: string, target: string): boolean {
  const rel = relative(folder, target);
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/**
 * The absolute path of `file` (or of the only loadable GGUF when file is null) in the snapshot
 * `refs/main` points at. Throws ModelFileError saying what is missing.
 */
export async function resolveModelFile(cacheDir: string, repo: string, file: string | null): Promise<string> {
  const local = await localRepoFiles(cacheDir, repo);
  if (!local) throw new ModelFileError('not_downloaded', `model not downloaded: ${repo} is not in the local cache (download it first)`, repo);
  const loadable = local.files.filter((f) => f.loadable_gguf).map((f) => f.path);
  const chosen = file ?? pickModelFile(loadable);
  if (chosen === null) {
    if (loadable.length === 0) throw new ModelFileError('file_missing', `model file not found: ${repo} has no .gguf file on disk`, repo);
    throw new ModelFileError('choose_file', `choose the model file: ${repo} has ${loadable.length} .gguf files (${loadable.join(', ')})`, repo, loadable);
  }
  const problem = modelFileProblem(chosen);
  if (problem) throw new ModelFileError('file_missing', `model file ${JSON.stringify(chosen)} ${problem}`, repo, loadable);
  const full = join(local.snapshotPath, ...chosen.split('/'));
  // The snapshot entry is a link into the repo's blobs: it must land there, and be a file.
  const real = await realpath(full).catch(() => null);
  const repoDir = join(cacheDir, repoFolderName(repo));
  if (real === null || !inside(await realpath(repoDir), real) || !(await stat(real)).isFile()) {
    throw new ModelFileError('file_missing', `model file not found: ${chosen} is not in the downloaded snapshot of ${repo}${loadable.length > 0 ? ` (on disk: ${loadable.join(', ')})` : ''}`, repo, loadable);
  }
  return full;
}
