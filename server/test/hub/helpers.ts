import { lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Deterministic pseudo-random bytes (xorshift), so big fixtures cost no disk. */
export function pseudoBytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `mlxm-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface LayoutEntry {
  path: string;
  kind: 'dir' | 'file' | 'link';
  target?: string;
}

/** Every entry under `root` (relative, sorted), with link targets, skipping names matched by `skip`. */
export async function layout(root: string, skip: RegExp = /^$/): Promise<LayoutEntry[]> {
  const out: LayoutEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(root, rel))).sort()) {
      const p = rel === '' ? name : `${rel}/${name}`;
      if (skip.test(p)) continue;
      const st = await lstat(join(root, p));
      if (st.isSymbolicLink()) out.push({ path: p, kind: 'link', target: await readlink(join(root, p)) });
      else if (st.isDirectory()) {
        out.push({ path: p, kind: 'dir' });
        await walk(p);
      } else out.push({ path: p, kind: 'file' });
    }
  };
  await walk('');
  return out;
}
