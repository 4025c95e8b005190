// Prints what a test run did from the summaries written by scripts/test-summary/reporter.mjs
// (default test-results/summary.json; `npm test` passes one per vitest pass, read as one run):
// every failure and every skipped test by name, a per-suite timing table, and one plain closing
// line "tests: N passed, N failed, N skipped". Exits non-zero when anything failed, when a test
// was skipped without an explicit opt-out, or when nothing ran. A pass that wrote no summary
// (it did not run) is left out; when none did, the run failed.
import { existsSync, readFileSync } from 'node:fs';
import { tally, timings } from './test-summary/tally.mjs';

const given = process.argv.length > 2 ? process.argv.slice(2) : ['test-results/summary.json'];
const files = given.filter((f) => existsSync(f));
let summary;
try {
  if (!files.length) throw new Error('no such file');
  const parts = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  summary = { files: parts.flatMap((p) => p.files), unhandledErrors: parts.flatMap((p) => p.unhandledErrors) };
} catch (error) {
  console.error(`no test summary at ${given.join(', ')}: ${error.message}`);
  console.log('tests: 0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
const t = tally(summary, process.env);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`.padStart(9);
const time = timings(summary);
console.log('\nTime per project:');
for (const p of time.perProject) console.log(`  ${secs(p.durationMs)}  ${p.project}`);
console.log('Slowest files:');
for (const s of time.slowest) console.log(`  ${secs(s.durationMs)}  [${s.project}] ${s.file}`);
if (t.skippedTests.length) {
  console.log(`\nSkipped (${t.skippedTests.length})${t.optOuts.length ? `, allowed by ${t.optOuts.join(', ')}` : ''}:`);
  for (const s of t.skippedTests) console.log(`  - ${s}`);
}
if (t.failures.length) {
  console.log(`\nFailed (${t.failures.length}):`);
  for (const f of t.failures) console.log(`  ✗ ${f}`);
}
if (!t.ok) console.log(`\nRun not green: ${t.problems.join('; ')}`);
console.log(`tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
process.exit(t.ok ? 0 : 1);
