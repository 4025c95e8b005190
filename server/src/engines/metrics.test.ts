import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { machineMemory, MetricsSampler, sampleEngines } from './metrics.js';
import { terminateGroup, treeOf } from './process-tree.js';

describe('treeOf', () => {
  it('collects descendants and group members, not unrelated processes', () => {
    const table = [
      { pid: 10, ppid: 1, pgid: 10 },
      { pid: 11, ppid: 10, pgid: 10 },
      { pid: 12, ppid: 11, pgid: 10 },
      { pid: 13, ppid: 1, pgid: 10 }, // re-parented worker, still in the group
      { pid: 20, ppid: 1, pgid: 20 },
    ];
    expect(treeOf(10, table).sort()).toEqual([10, 11, 12, 13]);
  });
});

describe('sampleEngines', () => {
  it('sums RSS over a process and its busy child, and reads CPU across samples', async () => {
    // A parent that starts a CPU-busy child: the tree's memory is both, its CPU mostly the child.
    const script = "const {spawn}=require('child_process');spawn(process.execPath,['-e','for(;;){}'],{stdio:'ignore'});setInterval(()=>{},1000)";
    const parent = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' });
    const pid = parent.pid as number;
    try {
      await new Promise((r) => setTimeout(r, 500));
      const source = [{ profileId: 'p', pid, startedAt: new Date(Date.now() - 5000).toISOString() }];
      await sampleEngines(source);
      await new Promise((r) => setTimeout(r, 1000));
      const [sample] = await sampleEngines(source);
      expect(sample?.memoryBytes).toBeGreaterThan(2 * 20 * 1024 * 1024); // two node processes
      // Other suites share the 2 cores: a busy loop still gets a clearly non-zero share.
      expect(sample?.cpuPercent).toBeGreaterThan(5);
      expect(sample?.uptimeSeconds).toBeGreaterThanOrEqual(5);
    } finally {
      await terminateGroup(pid, 500);
    }
  });

  it('pushes samples with machine memory', async () => {
    const seen: number[] = [];
    const sampler = new MetricsSampler({
      source: () => [{ profileId: 'self', pid: process.pid, startedAt: null }],
      intervalMs: 1000,
      onSample: (engines, machine) => {
        seen.push(engines.length);
        expect(machine.totalBytes).toBeGreaterThan(machine.availableBytes);
      },
    });
    await sampler.tick();
    expect(seen).toEqual([1]);
    expect(sampler.latest('self')?.memoryBytes).toBeGreaterThan(0);
    expect(machineMemory().usedBytes).toBeGreaterThan(0);
  });
});
