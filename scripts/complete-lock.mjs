#!/usr/bin/env node
// Adds to package-lock.json the entries of other platforms' optional packages that npm sometimes
// prunes from it (an install on one platform drops them), which makes `npm ci` refuse the lock on
// a clean clone of another platform. It asks the registry for each missing package's metadata
// through `npm view`; packages that were never published, or that have dependencies of their own,
// are reported and left out (npm ci tolerates those). Run it after any `npm install`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;

const missing = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = path === '' ? `node_modules/${name}` : `${path}/node_modules/${name}`;
    if (!packages[nested] && !packages[`node_modules/${name}`]) missing.push({ key: `node_modules/${name}`, name, version, parentDev: entry.dev === true });
  }
}
if (missing.length === 0) {
  console.log('package-lock.json lists every optional package of every platform');
  process.exit(0);
}
for (const m of missing) {
  let meta;
  try {
    const args = ['view', `${m.name}@${m.version}`, '--json', 'version', 'dist.integrity', 'cpu', 'os', 'libc', 'license', 'engines', 'dependencies'];
    meta = JSON.parse(execFileSync('npm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    console.log(`skipped ${m.name}@${m.version}: the registry has no such version`);
    continue;
  }
  if (meta.dependencies && Object.keys(meta.dependencies).length > 0) {
    console.log(`skipped ${m.name}@${m.version}: it has dependencies of its own (install it on its platform instead)`);
    continue;
  }
  const entry = { version: meta.version, integrity: meta['dist.integrity'] };
  for (const field of ['cpu', 'libc', 'license']) if (meta[field]) entry[field] = meta[field];
  if (m.parentDev) entry.dev = true;
  entry.optional = true;
  if (meta.os) entry.os = meta.os;
  if (meta.engines) entry.engines = meta.engines;
  packages[m.key] = entry;
  console.log(`added ${m.name}@${m.version}`);
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
