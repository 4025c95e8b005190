import { basename, isAbsolute, join, posix } from 'node:path';
import { HubError } from './errors.js';

/**
 * The huggingface_hub cache layout (docs/hub.md, "Cache layout"), as pure path functions:
 *   <cache>/models--<org>--<name>/{blobs/<etag>, refs/<revision>, snapshots/<commit>/<path>}
 * Every name that comes from the network is validated here before it becomes a path.
 */

const REPO_PART = /^[A-Za-z0-9_.-]{1,96}$/;

/** huggingface_hub's `validate_repo_id` rules: `org/name` (or a bare legacy name), no `--`/`..`, no edge `-`/`.`. */
export function isValidRepoId(id: string): boolean {
  const parts = id.split('/');
  if (parts.length < 1 || parts.length > 2) return false;
  return parts.every((p) => REPO_PART.test(p) && !p.includes('--') && !p.includes('..') && !/^[-.]|[-.]$/.test(p));
}

export function assertRepoId(id: string): void {
  if (!isValidRepoId(id)) throw new HubError('hostile', `invalid repo id ${JSON.stringify(id)}: expected "org/name"`);
}

/** `models--org--name`, like huggingface_hub's `repo_folder_name`. */
export function repoFolderName(repoId: string): string {
  assertRepoId(repoId);
  return ['models', ...repoId.split('/')].join('--');
}

/**
 * Repo id from a cache folder name, or undefined when it is not a model folder. Only the first
 * `--` after the prefix separates org from name, so a name that itself contains `--` (written by
 * another tool) survives; the original replaced every `--` and broke such names.
 */
export function parseRepoFolderName(folder: string): string | undefined {
  const prefix = 'models--';
  if (!folder.startsWith(prefix)) return undefined;
  const rest = folder.slice(prefix.length);
  if (rest === '') return undefined;
  const cut = rest.indexOf('--');
  if (cut < 0) return rest; // legacy repo without an org, e.g. `models--gpt2`
  const org = rest.slice(0, cut);
  const name = rest.slice(cut + 2);
  return org === '' || name === '' ? undefined : `${org}/${name}`;
}

/** A blob name: git sha1 (40 hex) or sha256 (64 hex). Anything else could escape `blobs/`. */
export function isEtag(s: string): boolean {
  return /^[0-9a-f]{40}$/.test(s) || /^[0-9a-f]{64}$/.test(s);
}

export function isCommitHash(s: string): boolean {
  return /^[0-9a-f]{40}$/.test(s);
}

/** A revision (branch, tag, `refs/pr/1` or commit) that is safe as a path under `refs/`. */
export function isSafeRevision(rev: string): boolean {
  return rev.length <= 200 && /^[A-Za-z0-9._/-]+$/.test(rev) && isSafeRelativePath(rev);
}

/**
 * A repo-relative file path that stays inside its folder: no absolute paths, no `..` or `.`
 * segments, no empty segments, no backslashes or NUL, not too long.
 */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.length > 1024 || p.includes('\0') || p.includes('\\')) return false;
  if (p.startsWith('/') || isAbsolute(p) || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

export function assertSafeRelativePath(p: string, what = 'file path'): void {
  if (!isSafeRelativePath(p)) throw new HubError('hostile', `refusing unsafe ${what} ${JSON.stringify(p)} from the hub`);
}

/** Paths of one repo inside a cache folder. */
export interface RepoPaths {
  repoDir: string;
  blobsDir: string;
  refsDir: string;
  snapshotsDir: string;
  blob(etag: string): string;
  incomplete(etag: string): string;
  /** Chunk progress of a ranged download, beside its `.incomplete` file. */
  progress(etag: string): string;
  ref(revision: string): string;
  snapshot(commit: string): string;
  snapshotFile(commit: string, relPath: string): string;
  /** huggingface_hub ≥ 1.x caches each commit's file listing here. */
  treeCache(commit: string): string;
}

export function repoPaths(cacheDir: string, repoId: string): RepoPaths {
  const repoDir = join(cacheDir, repoFolderName(repoId));
  const blobsDir = join(repoDir, 'blobs');
  const snapshotsDir = join(repoDir, 'snapshots');
  const blob = (etag: string): string => {
    if (!isEtag(etag)) throw new HubError('hostile', `refusing unsafe blob name ${JSON.stringify(etag)} from the hub`);
    return join(blobsDir, etag);
  };
  const snapshot = (commit: string): string => {
    if (!isCommitHash(commit)) throw new HubError('hostile', `refusing unsafe commit ${JSON.stringify(commit)} from the hub`);
    return join(snapshotsDir, commit);
  };
  return {
    repoDir,
    blobsDir,
    refsDir: join(repoDir, 'refs'),
    snapshotsDir,
    blob,
    incomplete: (etag) => `${blob(etag)}.incomplete`,
    progress: (etag) => `${blob(etag)}.incomplete.chunks.json`,
    ref: (revision) => {
      if (!isSafeRevision(revision)) throw new HubError('hostile', `refusing unsafe revision ${JSON.stringify(revision)}`);
      return join(repoDir, 'refs', revision);
    },
    snapshot,
    treeCache: (commit) => join(repoDir, 'trees', `${basename(snapshot(commit))}.json`),
    snapshotFile: (commit, relPath) => {
      assertSafeRelativePath(relPath);
      return join(snapshot(commit), ...relPath.split('/'));
    },
  };
}

/** The relative link target from `snapshots/<commit>/<relPath>` to `blobs/<etag>` (as Python's `os.path.relpath`). */
export function blobLinkTarget(relPath: string, etag: string): string {
  const depth = relPath.split('/').length - 1;
  return posix.join(...Array<string>(depth + 2).fill('..'), 'blobs', etag);
}
