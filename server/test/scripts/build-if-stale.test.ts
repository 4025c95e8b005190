// `npm start` rebuilds only the workspaces whose sources or configuration changed since their
// last build: the decision (pure) and the script's one line, on a throw-away tree of files
// whose times are set by hand.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WORKSPACES, staleWorkspaces, type WorkspaceFacts } from '../../../scripts/build-freshness/freshness.mjs';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../scripts/build-if-stale.mjs', import.meta.url));

describe('staleWorkspaces', () => {
  const facts = (over: Partial<Record<string, Partial<WorkspaceFacts>>> = {}): Record<string, WorkspaceFacts> =>
    Object.fromEntries(WORKSPACES.map((ws) => [ws.name, { outputMs: 200, newestInputMs: 100, ...over[ws.name] }]));

  it('builds nothing when every output is newer than its inputs', () => {
    expect(staleWorkspaces(WORKSPACES, facts())).toEqual([]);
  });

  it('builds a workspace whose output is missing or not newer than an input', () => {
    expect(staleWorkspaces(WORKSPACES, facts({ web: { newestInputMs: 300 } }))).toEqual(['web']);
    expect(staleWorkspaces(WORKSPACES, facts({ server: { newestInputMs: 200 } }))).toEqual(['server']);
    expect(staleWorkspaces(WORKSPACES, facts({ server: { outputMs: null } }))).toEqual(['server']);
  });

  it('builds what needs the contract again when the contract is built, or was built after it', () => {
    expect(staleWorkspaces(WORKSPACES, facts({ contract: { newestInputMs: 300 } }))).toEqual(['contract', 'server', 'web']);
    expect(staleWorkspaces(WORKSPACES, facts({ contract: { outputMs: 250 } }))).toEqual(['server', 'web']);
  });
});

describe('build-if-stale.mjs', () => {
  let root: string;
  const T0 = new Date('2026-01-01T00:00:00Z');
  const later = (s: number) => new Date(T0.getTime() + s * 1000);
  async function file(path: string, when: Date): Promise<void> {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, 'x');
    await utimes(full, when, when);
  }
  const say = async () => (await run(process.execPath, [script, '--root', root, '--dry-run'])).stdout.trim();
  /** Folders get the time of their creation: set them back, as on a tree that has not changed since. */
  async function settleFolders(dir = root): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) if (entry.isDirectory()) await settleFolders(join(dir, entry.name));
    await utimes(dir, T0, T0);
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlxm-build-'));
    for (const p of ['package-lock.json', 'tsconfig.base.json', 'contract/src/index.ts', 'contract/tsconfig.json', 'server/src/main.ts', 'server/src/old.ts', 'server/package.json', 'web/src/app.css', 'web/src/lib/thing.test.ts', 'web/vite.config.ts']) await file(p, T0);
    for (const ws of WORKSPACES) await file(ws.output, later(10));
    await settleFolders();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('says in one line that nothing needs building, and names what changed otherwise', async () => {
    expect(await say()).toBe('› build up to date (contract, server, web): starting');
    await utimes(join(root, 'web/src/lib/thing.test.ts'), later(20), later(20)); // a test is not part of the build
    expect(await say()).toBe('› build up to date (contract, server, web): starting');
    await file('web/src/lib/styles/prose.css', later(20));
    expect(await say()).toBe('› building web (changed since the last build)…');
    await rm(join(root, 'server/src/old.ts')); // a removed source changes its folder
    expect(await say()).toBe('› building server, web (changed since the last build)…');
    await file('package-lock.json', later(30)); // new dependencies: everything
    expect(await say()).toBe('› building contract, server, web (changed since the last build)…');
  });

  it('builds everything on a fresh clone', async () => {
    await rm(join(root, 'contract/dist'), { recursive: true });
    await rm(join(root, 'server/dist'), { recursive: true });
    await rm(join(root, 'web/build'), { recursive: true });
    expect(await say()).toBe('› building contract, server, web (first start: this takes a minute)…');
  });
});
