// A vitest reporter that writes what every test file did to a plain JSON file
// ($MLX_MANAGER_TEST_SUMMARY_FILE, default test-results/summary.json): load errors, suite-level errors (a failing beforeAll), each test's
// mode and outcome, and durations. vitest's own JSON report loses the first two, so a run whose
// setup failed would count as "skipped" there; scripts/test-summary.mjs reads this file instead.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

const errorText = (errors) => (errors ?? []).map((e) => String(e?.message ?? e).split('\n')[0]).filter(Boolean).join('; ');

// `blocked` names the failed suite (or file) above a test: vitest marks such tests "skip", but
// they were meant to run, so the tally counts them as failures, not as skips.
function collect(task, path, out, blocked) {
  const name = [...path, task.name].join(' › ');
  if (task.type === 'suite') {
    const message = errorText(task.result?.errors);
    const failedHere = task.result?.state === 'fail' && message;
    if (failedHere) out.suiteErrors.push({ name, message });
    for (const child of task.tasks ?? []) collect(child, [...path, task.name], out, blocked ?? (failedHere ? name : undefined));
    return;
  }
  const state = task.result?.state ?? 'none';
  out.tests.push({ name, mode: task.mode, state, error: errorText(task.result?.errors) || undefined, blockedBy: state === 'pass' || state === 'fail' ? undefined : blocked });
}

export default class SummaryReporter {
  constructor(options = {}) {
    this.outputFile = options.outputFile ?? process.env.MLX_MANAGER_TEST_SUMMARY_FILE ?? 'test-results/summary.json';
  }
  onInit(ctx) {
    this.root = ctx.config.root;
  }
  onFinished(files = [], errors = []) {
    const records = files.map((file) => {
      const out = { tests: [], suiteErrors: [] };
      const fileError = file.result?.state === 'fail' ? errorText(file.result?.errors) || undefined : undefined;
      for (const task of file.tasks ?? []) collect(task, [], out, fileError ? 'the file' : undefined);
      return {
        project: file.projectName || '',
        file: relative(this.root ?? process.cwd(), file.filepath),
        durationMs: Math.round(file.result?.duration ?? 0),
        // An error on the file itself: it failed to load, or a top-level hook threw.
        fileError,
        ...out,
      };
    });
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, JSON.stringify({ files: records, unhandledErrors: errors.map((e) => errorText([e])) }, null, 1));
  }
}
