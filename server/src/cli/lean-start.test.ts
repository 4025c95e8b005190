import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPERATOR_OPTIONS, loadWarrantsGrowth, setByOperator } from './lean-start.js';

describe('setByOperator', () => {
  const { youngGeneration, optimiser, wasmTiers } = OPERATOR_OPTIONS;

  it('finds an option on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(setByOperator(youngGeneration, ['--max-semi-space-size=4'], undefined)).toBe(true);
    expect(setByOperator(youngGeneration, [], '--enable-source-maps --semi-space-growth-factor=3')).toBe(true);
    expect(setByOperator(youngGeneration, [], '--max_semi_space_size=8')).toBe(true);
    expect(setByOperator(optimiser, ['--no-opt'], undefined)).toBe(true);
    expect(setByOperator(optimiser, [], '--max_opt=1')).toBe(true);
    expect(setByOperator(wasmTiers, ['--liftoff-only'], undefined)).toBe(true);
    expect(setByOperator(wasmTiers, [], '--no-wasm-tier-up')).toBe(true);
  });

  it('ignores other options and values that merely contain the words', () => {
    expect(setByOperator(youngGeneration, ['--import', 'tsx'], '--max-old-space-size=512')).toBe(false);
    expect(setByOperator(youngGeneration, [], undefined)).toBe(false);
    expect(setByOperator(youngGeneration, ['--title=--semi-space'], '')).toBe(false);
    expect(setByOperator(optimiser, ['--optimize-for-size'], undefined)).toBe(false);
  });
});

describe('loadWarrantsGrowth', () => {
  it('says yes to one heavily busy window or to a steady load over several windows', () => {
    expect(loadWarrantsGrowth([0.01, 0.6])).toBe(true);
    expect(loadWarrantsGrowth([0.05, 0.04, 0.1, 0.2])).toBe(true);
    expect(loadWarrantsGrowth([0.2, 0.2, 0.2], { steadyWindows: 3, steadyShare: 0.1 })).toBe(true);
  });

  it('says no to idling, to a lone burst and to a light trickle', () => {
    expect(loadWarrantsGrowth([])).toBe(false);
    expect(loadWarrantsGrowth([0.001, 0.001, 0.002, 0.001])).toBe(false);
    // a configuration session then a few dozen requests: two or three active windows, none heavy
    expect(loadWarrantsGrowth([0.24, 0.12, 0.001])).toBe(false);
    expect(loadWarrantsGrowth([0.001, 0.24, 0.12, 0.3])).toBe(false);
    // a chat streaming its tokens
    expect(loadWarrantsGrowth([0.01, 0.02, 0.01, 0.02])).toBe(false);
  });
});

// V8 flags are per process, so each case runs in a fresh Node: it keeps many objects alive (as
// loading modules does), then is busy for a while, and reports the young generation's size.
const MODULE = fileURLToPath(new URL('./lean-start.ts', import.meta.url));
const SCRIPT = `
import { getHeapSpaceStatistics } from 'node:v8';
import { leanServing, leanStart } from ${JSON.stringify(MODULE)};
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const survivors = [];
const allocate = () => { for (let i = 0; i < 300000; i++) survivors.push({ i, text: 'item ' + i }); };
leanStart();
allocate();
const held = newSpace();
const busy = (ms) => { const until = Date.now() + ms; while (Date.now() < until); };
if (process.env.LOAD === 'steady') {
  // a lighter load that goes on: 1 ms of work every 4 ms, never half of a window
  leanServing({ windowMs: 20, busyShare: 0.9, steadyWindows: 4, steadyShare: 0.1 });
  const tick = setInterval(() => busy(1), 4);
  await new Promise((resolve) => setTimeout(resolve, 250));
  clearInterval(tick);
} else {
  leanServing({ windowMs: 20, busyShare: 0.5 });
  busy(150);
  await new Promise((resolve) => setTimeout(resolve, 60));
}
allocate();
process.stdout.write(JSON.stringify({ held, busy: newSpace() }));
`;

function sizes(execArgv: string[], load: 'heavy' | 'steady' = 'heavy'): { held: number; busy: number } {
  const run = spawnSync(process.execPath, [...execArgv, '--import', 'tsx', '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', LOAD: load } });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { held: number; busy: number };
}

describe('leanStart / leanServing', () => {
  it('keeps the young generation at its initial size through start-up, and lets it grow once busy', () => {
    const { held, busy } = sizes([]);
    expect(held).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(busy).toBeGreaterThan(held);
  });

  it('lets it grow under a steady lighter load too', () => {
    const { held, busy } = sizes([], 'steady');
    expect(held).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(busy).toBeGreaterThan(held);
  });

  it('leaves the young generation alone when the operator sized it', () => {
    const { held } = sizes(['--max-semi-space-size=16']);
    expect(held).toBeGreaterThan(4 * 1024 * 1024);
  });
});
