// The closing line of `npm test` must not lie: a real vitest run over suites that fail in each
// way vitest's own JSON report hides (a failing beforeAll, a file that cannot load) is tallied by
// our reporter and summary script.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tally, type Summary } from '../../../scripts/test-summary/tally.mjs';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));

const SUITES: Record<string, string> = {
  'mixed.suite.ts': `import { it, expect, describe, beforeAll } from 'vitest';
it('passes', () => expect(1).toBe(1));
it('fails', () => expect(1).toBe(2));
it.skip('skipped on purpose', () => {});
describe('needs a database', () => { beforeAll(() => { throw new Error('database down'); }); it('queries', () => {}); });`,
  'unloadable.suite.ts': `import { it } from 'vitest';\nimport './missing-module.js';\nit('never loads', () => {});`,
  'setup-fails.suite.ts': `import { it, beforeAll } from 'vitest';\nbeforeAll(() => { throw new Error('engine did not start'); });\nit('talks to the engine', () => {});`,
  'green.suite.ts': `import { it, expect } from 'vitest';\nit('one', () => expect(2).toBe(2));\nit('two', () => expect(3).toBe(3));`,
};

describe('test summary', () => {
  let dir: string;
  let summary: Summary;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlxm-summary-'));
    for (const [name, text] of Object.entries(SUITES)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, 'vitest.config.mjs'), `export default { test: { include: ['*.suite.ts'] } };\n`);
    const out = join(dir, 'summary.json');
    const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs');
    const reporter = join(repo, 'scripts', 'test-summary', 'reporter.mjs');
    // vitest exits 1 here (tests fail): that is expected, the summary file is what we read.
    await run(process.execPath, [vitest, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs'), `--reporter=${reporter}`], { cwd: dir, timeout: 90_000, env: { ...process.env, MLX_MANAGER_TEST_SUMMARY_FILE: out } }).catch(() => undefined);
    summary = JSON.parse(await readFile(out, 'utf8')) as Summary;
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts failing hooks, unloadable files and the tests they blocked as failures', () => {
    const t = tally(summary, {});
    expect(t.passed).toBe(3);
    expect(t.failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/mixed\.suite\.ts › fails/),
        expect.stringMatching(/needs a database: suite failed: database down/),
        expect.stringMatching(/needs a database › queries: never ran/),
        expect.stringMatching(/unloadable\.suite\.ts: file failed: .*missing-module/),
        expect.stringMatching(/setup-fails\.suite\.ts: file failed: engine did not start/),
        expect.stringMatching(/setup-fails\.suite\.ts › talks to the engine: never ran/),
      ]),
    );
    expect(t.failed).toBe(6);
    expect(t.ok).toBe(false);
  });

  it('names each skipped test and fails the run without an explicit opt-out', () => {
    const green = { files: summary.files.filter((f) => f.file.includes('green') || f.file.includes('mixed')).map((f) => ({ ...f, suiteErrors: [], tests: f.tests.filter((x) => x.state === 'pass' || x.mode === 'skip').filter((x) => !x.blockedBy) })), unhandledErrors: [] };
    const strict = tally(green, {});
    expect(strict.skippedTests).toEqual([expect.stringMatching(/skipped on purpose/)]);
    expect(strict.failed).toBe(0);
    expect(strict.ok).toBe(false);
    expect(strict.problems.join()).toMatch(/without an opt-out/);
    const optedOut = tally(green, { MLX_MANAGER_TEST_SKIP_POSTGRES: '1' });
    expect(optedOut.ok).toBe(true);
    expect(optedOut.optOuts).toEqual(['MLX_MANAGER_TEST_SKIP_POSTGRES']);
  });

  it('a run where nothing ran is not green', () => {
    expect(tally({ files: [], unhandledErrors: [] }, {}).problems).toEqual(['no test ran']);
  });
});
