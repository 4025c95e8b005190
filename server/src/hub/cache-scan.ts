import { lstat, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isCommitHash, parseRepoFolderName } from './cache-layout.js';

/**
 * Local models in a huggingface_hub cache, including ones other tools downloaded.
 * Read-only; ids come from the folder name (first `--` splits org from name).
 */

export interface LocalRepo {
  repo_id: string;
  /** Absolute path of the chosen snapshot (refs/main's commit, else the newest snapshot). */
  snapshot_path: string;
  commit: string;
  /** refs name → commit. */
  refs: Record<string, string>;
  /** Bytes of the files in the chosen snapshot (links followed). */
  size_bytes: number;
  /** Bytes of every blob of the repo (all snapshots, partial files included). */
  disk_bytes: number;
  file_count: number;
  /** Partial downloads are present (`.incomplete` blobs). */
  incomplete: boolean;
  /** Parsed `config.json` of the snapshot, when it has a readable one. */
  config?: Record<string, unknown>;
  modified_at: string;
}

async function readdirSafe(p: string): Promise<string[]> {
  try {
    return await readdir(p);
  } catch {
    return [];
  }
}

async function readRefs(refsDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const name of await readdirSafe(join(refsDir, rel))) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(join(refsDir, r)).catch(() => undefined);
      if (st?.isDirectory()) await walk(r);
      else if (st?.isFile() && st.size <= 100) {
        const commit = (await readFile(join(refsDir, r), 'utf8')).trim();
        if (isCommitHash(commit)) out[r] = commit;
      }
    }
  };
  await walk('');
  return out;
}

/** Files of a snapshot (relative path → size), following links only into the repo's own blobs. */
export async function snapshotFiles(repoDir: string, snapDir: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    for (const name of await readdirSafe(join(snapDir, rel))) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const full = join(snapDir, r);
      const st = await lstat(full).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) await walk(r, depth + 1);
      else if (st.isSymbolicLink()) {
        const target = await realpath(full).catch(() => undefined);
        if (target === undefined || relative(repoDir, target).startsWith('..')) continue;
        const t = await stat(target).catch(() => undefined);
        if (t?.isFile()) files.set(r, t.size);
      } else if (st.isFile()) files.set(r, st.size); // HF_HUB_DISABLE_SYMLINKS copies
    }
  };
  await walk('', 0);
  return files;
}

async function readConfig(repoDir: string, snapDir: string): Promise<Record<string, unknown> | undefined> {
  try {
    const real = await realpath(join(snapDir, 'config.json'));
    if (relative(repoDir, real).split(sep)[0] === '..') return undefined;
    if ((await stat(real)).size > 4 * 1024 * 1024) return undefined;
    const parsed = JSON.parse(await readFile(real, 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function scanRepo(cacheDir: string, folder: string): Promise<LocalRepo | undefined> {
  const repoId = parseRepoFolderName(folder);
  if (repoId === undefined) return undefined;
  const repoDir = join(cacheDir, folder);
  const snapsDir = join(repoDir, 'snapshots');
  const snapshots: { commit: string; mtime: number }[] = [];
  for (const name of await readdirSafe(snapsDir)) {
    const st = await lstat(join(snapsDir, name)).catch(() => undefined);
    if (st?.isDirectory()) snapshots.push({ commit: name, mtime: st.mtimeMs });
  }
  if (snapshots.length === 0) return undefined;
  const refs = await readRefs(join(repoDir, 'refs'));
  const byRef = refs.main !== undefined ? snapshots.find((s) => s.commit === refs.main) : undefined;
  const chosen = byRef ?? [...snapshots].sort((a, b) => b.mtime - a.mtime)[0]!;
  const snapDir = join(snapsDir, chosen.commit);
  const files = await snapshotFiles(repoDir, snapDir);
  if (files.size === 0) return undefined;
  let disk = 0;
  let incomplete = false;
  for (const b of await readdirSafe(join(repoDir, 'blobs'))) {
    const st = await lstat(join(repoDir, 'blobs', b)).catch(() => undefined);
    if (st?.isFile()) disk += st.size;
    if (b.endsWith('.incomplete')) incomplete = true;
  }
  const config = await readConfig(repoDir, snapDir);
  return {
    repo_id: repoId,
    snapshot_path: snapDir,
    commit: chosen.commit,
    refs,
    size_bytes: [...files.values()].reduce((a, b) => a + b, 0),
    disk_bytes: disk,
    file_count: files.size,
    incomplete,
    ...(config ? { config } : {}),
    modified_at: new Date(chosen.mtime).toISOString(),
  };
}

/** Every model repo of the cache that has at least one snapshot with files, sorted by id. */
export async function scanCache(cacheDir: string): Promise<LocalRepo[]> {
  const out: LocalRepo[] = [];
  for (const folder of (await readdirSafe(cacheDir)).sort()) {
    const repo = await scanRepo(cacheDir, folder);
    if (repo) out.push(repo);
  }
  return out.sort((a, b) => a.repo_id.localeCompare(b.repo_id));
}

/** Link targets in a snapshot (for deletion bookkeeping). */
export async function snapshotBlobNames(snapDir: string): Promise<Set<string>> {
  const names = new Set<string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    for (const name of await readdirSafe(dir)) {
      const full = join(dir, name);
      const st = await lstat(full).catch(() => undefined);
      if (st?.isDirectory()) await walk(full, depth + 1);
      else if (st?.isSymbolicLink()) {
        const target = await readlink(full).catch(() => '');
        const base = target.split('/').at(-1);
        if (base) names.add(base);
      }
    }
  };
  await walk(snapDir, 0);
  return names;
}
