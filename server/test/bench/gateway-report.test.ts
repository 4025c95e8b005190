// The gateway benchmark's arithmetic and verdicts (bench/gateway): a wrong percentile or an
// inverted target check would make the report say a target is met when it is not.
import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../../bench/gateway/profile.js';
import { renderReport, verdicts, type BenchResults, type Cell } from '../../../bench/gateway/report.js';
import { added, mergeRuns, percentile, summarize, type RunResult } from '../../../bench/gateway/stats.js';

const run = (totals: number[], seconds = 1, errors = 0): RunResult => ({ samples: totals.map((t) => ({ ttfb: t / 2, total: t })), errors, errorExamples: errors ? ['HTTP 502: boom'] : [], seconds, peakRssMB: 50 });

describe('stats', () => {
  it('nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summaries and what a proxy adds', () => {
    const direct = summarize(run([1, 1, 1, 2], 1));
    const proxy = summarize(run([2, 2, 2, 5], 2));
    expect(direct).toMatchObject({ requests: 4, rps: 4, p50: 1, p99: 2, ttfbP50: 0.5 });
    expect(added(proxy, direct)).toEqual({ p50: 1, p99: 3, rpsRatio: 0.5 });
  });
});

function results(proxyTotals: number[], proxySeconds: number, extra: Partial<BenchResults> = {}): BenchResults {
  const cells: Cell[] = [];
  for (const stream of [false, true]) {
    for (const connections of [1, 16, 100]) {
      cells.push({ stream, connections, via: 'direct', run: run([1, 1, 1, 1], 1) });
      cells.push({ stream, connections, via: 'ours', run: run(proxyTotals, proxySeconds) });
    }
  }
  return {
    date: 'd', cores: 2, node: 'v20', loadAverage: { before: 1, after: 1 }, seconds: 1, warmupSeconds: 1, portkeyVersion: '1', skipped: {}, notes: [],
    cells, interleaved: [], turns: { sliceMs: 1000, settleMs: 250, warmupSeconds: 3 }, loadSlices: { rounds: 3, warmupSeconds: 0.25 }, streams: { ours: { opened: 4, completed: 4, errors: 0, errorExamples: [], maxGapMs: 120, allOpenMs: 300, seconds: 1, peakRssMB: 60 } },
    streamCount: 4, paceMs: 100, idleRssMB: { ours: { before: 80, after: 90 } }, ...extra,
  };
}

describe('verdicts', () => {
  it('meets every target when the proxy adds little', () => {
    const v = verdicts(results([1.5, 1.5, 1.5, 1.5], 2), 'ours');
    expect(v).toHaveLength(6);
    expect(v.every((t) => t.ok)).toBe(true);
  });

  it('misses latency, throughput, stall and memory targets when they are over', () => {
    const r = results([3, 3, 3, 3], 20, { idleRssMB: { ours: { before: 130, after: 200 } } });
    r.streams.ours = { ...r.streams.ours!, allOpenMs: 3500 };
    const failed = verdicts(r, 'ours').filter((t) => !t.ok).map((t) => t.label);
    expect(failed).toEqual([
      'added p99 latency, sequential (1 connection) < 1 ms',
      'req/s at 16 connections ≥ 0.35× direct (non-streaming)',
      'req/s at 16 connections ≥ 0.35× direct (streaming)',
      '4 concurrent open streams, no stall (no wait over 1000 ms)',
      'idle RSS < 100 MB',
    ]);
    const report = renderReport(r);
    expect(report).toContain('| idle RSS < 100 MB | 130 MB (after the load: 200 MB) | ✗ |');
  });

  it('judges sequential latency on the interleaved run when there is one', () => {
    const r = results([3, 3, 3, 3], 2);
    r.interleaved = [{ stream: false, via: 'ours', run: run([1.2, 1.2, 1.2, 1.5]), direct: run([1, 1, 1, 1]) }];
    expect(verdicts(r, 'ours')[0]).toMatchObject({ value: '0.50 ms', ok: true });
    const report = renderReport(r);
    expect(report).toContain('## Sequential, taking turns with direct');
    expect(report).toContain('(1000 ms of back-to-back requests each,');
    expect(report).toContain('measured in 3 slices');
    // The row shows the proxy's own percentiles beside direct's from the same turns.
    expect(report).toContain('| non-streaming | **MLX Manager** | 4 | 1.20 | 1.50 | 0.60 | 1.00 | 1.00 | 0.20 | 0.50 | 0 |');
  });

  it('says which gateway was not measured and why', () => {
    const r = results([1], 1, { skipped: { portkey: 'it did not start' } });
    expect(renderReport(r)).toContain('> **Not measured: Portkey.** it did not start');
  });
});

describe('merged runs', () => {
  it('adds up samples, errors and time, and keeps the highest peak RSS', () => {
    const merged = mergeRuns([run([1, 2], 1), { ...run([3], 2, 1), peakRssMB: 70 }, { ...run([], 1), peakRssMB: null }]);
    expect(merged.samples.map((s) => s.total)).toEqual([1, 2, 3]);
    expect(merged).toMatchObject({ errors: 1, errorExamples: ['HTTP 502: boom'], seconds: 4, peakRssMB: 70 });
    expect(summarize(merged).rps).toBe(0.75);
    expect(mergeRuns([{ ...run([1]), peakRssMB: null }]).peakRssMB).toBeNull();
  });
});

describe('profile summary', () => {
  it('ranks self time by function and inclusive time by module', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2] },
        { id: 2, callFrame: { functionName: 'handle', url: 'file:///repo/server/dist/a.js', lineNumber: 9 }, children: [3] },
        { id: 3, callFrame: { functionName: 'query', url: 'file:///repo/node_modules/kysely/dist/x.js', lineNumber: 0 }, children: [] },
      ],
      samples: [3, 3, 3, 2],
    };
    const s = summarizeProfile(profile, '/repo/');
    expect(s.self[0]).toEqual({ name: 'query kysely:1', share: 0.75 });
    expect(s.modules).toEqual([
      { name: 'server/dist/a.js', share: 1 },
      { name: 'kysely', share: 0.75 },
    ]);
  });
});
