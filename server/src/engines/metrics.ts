// Engine metrics, sampled on an interval and pushed (no client polling, and never a blocking
// sample inside a request — L-03): RSS summed over the whole process tree (the model
// often lives in a child — L-07), CPU % from persistent per-pid history (pidusage keeps the
// previous reading, so children do not read 0 % as in the original), uptime, machine memory.
// Lessons L-nn: docs/lessons-from-the-original.md.
import os from 'node:os';
import { listProcesses, treeOf } from './process-tree.js';

export interface EngineMetrics {
  profileId: string;
  memoryBytes: number;
  cpuPercent: number;
  uptimeSeconds: number;
}

export interface MachineMemory {
  totalBytes: number;
  availableBytes: number;
  usedBytes: number;
}

export interface MetricsSource {
  profileId: string;
  pid: number;
  startedAt: string | null;
}

export function machineMemory(): MachineMemory {
  const total = os.totalmem();
  const available = os.freemem();
  return { totalBytes: total, availableBytes: available, usedBytes: total - available };
}

/** One sample of every given engine. A process that vanished mid-sample counts as 0. */
export async function sampleEngines(sources: readonly MetricsSource[], now = Date.now()): Promise<EngineMetrics[]> {
  if (sources.length === 0) return [];
  const table = await listProcesses();
  const trees = sources.map((s) => ({ source: s, pids: treeOf(s.pid, table) }));
  const all = [...new Set(trees.flatMap((t) => t.pids))];
  const stats = await pidusageEach(all);
  return trees.map(({ source, pids }) => {
    let memory = 0;
    let cpu = 0;
    for (const pid of pids) {
      const s = stats.get(pid);
      if (!s) continue;
      memory += s.memory;
      cpu += s.cpu;
    }
    const started = source.startedAt ? Date.parse(source.startedAt) : now;
    return {
      profileId: source.profileId,
      memoryBytes: memory,
      cpuPercent: Math.round(cpu * 10) / 10,
      uptimeSeconds: Math.max(0, Math.round((now - started) / 1000)),
    };
  });
}

/**
 * pidusage per pid, so one process exiting between listing and reading does not fail the rest.
 * Loaded at the first sample with an engine running (a server without engines never holds it).
 */
async function pidusageEach(pids: number[]): Promise<Map<number, { cpu: number; memory: number }>> {
  const { default: pidusage } = await import('pidusage');
  const out = new Map<number, { cpu: number; memory: number }>();
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const s = await pidusage(pid);
        out.set(pid, { cpu: Number.isFinite(s.cpu) ? s.cpu : 0, memory: s.memory });
      } catch {
        out.set(pid, { cpu: 0, memory: 0 }); // ended while sampled
      }
    }),
  );
  return out;
}

export interface SamplerOptions {
  source: () => MetricsSource[];
  intervalMs: number;
  onSample: (engines: EngineMetrics[], machine: MachineMemory) => void;
  onError?: (err: unknown) => void;
}

/** Samples every `intervalMs` while started; one sample at a time (a slow one is never stacked). */
export class MetricsSampler {
  private timer: NodeJS.Timeout | null = null;
  private latestByProfile = new Map<string, EngineMetrics>();
  private running = false;

  constructor(private readonly options: SamplerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  latest(profileId: string): EngineMetrics | undefined {
    return this.latestByProfile.get(profileId);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const engines = await sampleEngines(this.options.source());
      this.latestByProfile = new Map(engines.map((e) => [e.profileId, e]));
      this.options.onSample(engines, machineMemory());
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.running = false;
    }
  }
}
