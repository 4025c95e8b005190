// Pure tally of a summary.json (see reporter.mjs): what passed, what failed, what was skipped and
// why, and whether the run may call itself green.
//
// Counted as failed: failed tests; files that failed to load or whose top-level hook threw; suites
// whose hook threw; tests that were meant to run but never did because their suite failed;
// unhandled errors. Skipped tests are named one by one; any skip fails the run unless the run
// explicitly opted out of something (an MLX_MANAGER_TEST_SKIP_* variable set, or
// MLX_MANAGER_TEST_ALLOW_SKIPS=1): suites that need PostgreSQL, real engines or a browser must
// never vanish quietly.

/** @param {{files: any[], unhandledErrors: string[]}} summary @param {Record<string,string|undefined>} env */
export function tally(summary, env = {}) {
  const failures = [];
  const skipped = [];
  let passed = 0;
  for (const f of summary.files) {
    const where = f.project ? `[${f.project}] ${f.file}` : f.file;
    if (f.fileError) failures.push(`${where}: file failed: ${f.fileError}`);
    for (const s of f.suiteErrors) failures.push(`${where} › ${s.name}: suite failed: ${s.message}`);
    for (const t of f.tests) {
      if (t.state === 'pass') passed++;
      else if (t.state === 'fail') failures.push(`${where} › ${t.name}${t.error ? `: ${t.error}` : ''}`);
      else if (t.blockedBy) failures.push(`${where} › ${t.name}: never ran (${t.blockedBy} failed)`);
      else if (t.mode === 'skip' || t.mode === 'todo') skipped.push(`${where} › ${t.name} (${t.mode === 'todo' ? 'todo' : 'skipped in code'})`);
      else failures.push(`${where} › ${t.name}: never ran (its suite or file failed)`);
    }
  }
  for (const e of summary.unhandledErrors) failures.push(`unhandled error: ${e}`);
  const optOuts = Object.keys(env).filter((k) => (k.startsWith('MLX_MANAGER_TEST_SKIP_') || k === 'MLX_MANAGER_TEST_ALLOW_SKIPS') && env[k] && env[k] !== '0');
  const problems = [];
  if (failures.length > 0) problems.push(`${failures.length} failure(s)`);
  if (skipped.length > 0 && optOuts.length === 0) problems.push(`${skipped.length} skipped test(s) without an opt-out (set MLX_MANAGER_TEST_ALLOW_SKIPS=1 to allow)`);
  if (passed + failures.length === 0) problems.push('no test ran');
  return { passed, failed: failures.length, skipped: skipped.length, failures, skippedTests: skipped, optOuts, problems, ok: problems.length === 0 };
}

/** Per-project totals and the slowest files, for the timing table printed after the run. */
export function timings(summary, top = 12) {
  const perProject = new Map();
  for (const f of summary.files) perProject.set(f.project || '-', (perProject.get(f.project || '-') ?? 0) + f.durationMs);
  const slowest = [...summary.files].sort((a, b) => b.durationMs - a.durationMs).slice(0, top).map((f) => ({ project: f.project || '-', file: f.file, durationMs: f.durationMs }));
  return { perProject: [...perProject].map(([project, durationMs]) => ({ project, durationMs })).sort((a, b) => b.durationMs - a.durationMs), slowest };
}
