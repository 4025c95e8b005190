// Which workspaces `npm start` must build: those whose build output is missing or older than
// any of their sources and configuration, or than a workspace they build on (contract). The
// decision is pure (`staleWorkspaces`); `newestInputMs` reads the file times.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files every workspace's build depends on (dependencies, shared compiler settings). */
export const SHARED_INPUTS = ['package-lock.json', 'tsconfig.base.json'];

/**
 * Each workspace: a file its build rewrites every time (`output`), what the build reads
 * (`inputs`, folders walked) and the workspaces it builds on (`needs`), in build order.
 */
export const WORKSPACES = [
  { name: 'contract', output: 'contract/dist/index.js', inputs: ['contract/src', 'contract/package.json', 'contract/tsconfig.json', 'contract/tsconfig.build.json'], needs: [] },
  { name: 'server', output: 'server/dist/cli/index.js', inputs: ['server/src', 'server/package.json', 'server/tsconfig.json', 'server/tsconfig.build.json'], needs: ['contract'] },
  {
    name: 'web',
    output: 'web/build/index.html',
    inputs: ['web/src', 'web/static', 'web/package.json', 'web/svelte.config.js', 'web/vite.config.ts', 'web/tsconfig.json'],
    needs: ['contract'],
  },
];

/** Tests are not part of a build: editing one must not cost a rebuild. */
const isTest = (name) => /\.test\.[cm]?[jt]s$/.test(name);

/** Newest modification time (ms) of the files and folders at `paths` (folders walked), under `root`; 0 when none exists. */
export function newestInputMs(root, paths) {
  let newest = 0;
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return; // an optional input (web/static) may be absent
    }
    // A folder's own time counts too: it changes when a file in it is removed or renamed.
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && !isTest(entry)) visit(join(path, entry));
    }
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

/** Modification time (ms) of a build output, or null when it is missing. */
export function outputMs(root, output) {
  try {
    return statSync(join(root, output)).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Pure: the workspaces to build, in order. `facts[name]` holds the output's time (null when
 * missing) and the newest of its inputs, shared inputs included. A workspace is stale when its
 * output is missing or not newer than an input, or when a workspace it needs is stale or was
 * built after it (its output would then hold an older contract).
 */
export function staleWorkspaces(workspaces, facts) {
  const stale = new Set();
  for (const ws of workspaces) {
    const own = facts[ws.name];
    const behindNeed = ws.needs.some((n) => stale.has(n) || (facts[n]?.outputMs ?? Infinity) > (own.outputMs ?? -Infinity));
    if (own.outputMs === null || own.newestInputMs >= own.outputMs || behindNeed) stale.add(ws.name);
  }
  return workspaces.filter((ws) => stale.has(ws.name)).map((ws) => ws.name);
}
