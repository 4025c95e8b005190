// `npm start` builds only what changed: a workspace whose build output is newer than its sources
// and configuration is left alone, so a second start prints one line instead of the bundler's
// report. The builds' own output is kept back unless one fails (then its last lines are shown).
// Options: --root DIR (the repository, default this one), --dry-run (say what would be built).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SHARED_INPUTS, WORKSPACES, newestInputMs, outputMs, staleWorkspaces } from './build-freshness/freshness.mjs';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? args[rootAt + 1] : fileURLToPath(new URL('..', import.meta.url));
const dryRun = args.includes('--dry-run');
/** Lines of a failed build shown: enough for the error, short of a wall. */
const FAILURE_LINES = 40;

const shared = newestInputMs(root, SHARED_INPUTS);
const facts = Object.fromEntries(
  WORKSPACES.map((ws) => [ws.name, { outputMs: outputMs(root, ws.output), newestInputMs: Math.max(shared, newestInputMs(root, ws.inputs)) }]),
);
const stale = staleWorkspaces(WORKSPACES, facts);
const all = WORKSPACES.map((ws) => ws.name).join(', ');

if (stale.length === 0) {
  console.log(`› build up to date (${all}): starting`);
  process.exit(0);
}
const firstBuild = stale.every((name) => facts[name].outputMs === null);
console.log(`› building ${stale.join(', ')} (${firstBuild ? 'first start: this takes a minute' : 'changed since the last build'})…`);
if (dryRun) process.exit(0);

const started = Date.now();
for (const name of stale) {
  // No shell: the workspace name is ours, the command fixed.
  const run = spawnSync('npm', ['run', 'build', '-w', name, '--silent'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) {
    const lines = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? `\n${run.error.message}` : ''}`.trimEnd().split('\n');
    console.error(lines.slice(-FAILURE_LINES).join('\n'));
    console.error(`✗ building ${name} failed (its last lines above; \`npm run build -w ${name}\` shows all of it)`);
    process.exit(1);
  }
}
console.log(`› built ${stale.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
