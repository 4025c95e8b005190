// Download benchmark: our downloader against the strongest clients on the same files from the
// local fake hub — aria2c with 8 connections, huggingface_hub with hf_transfer (its Rust
// parallel downloader), plain huggingface_hub and curl (one file after another). The fake hub
// throttles each connection (like a CDN edge per TCP stream), so the physical limit of a client
// is the connections it really opened × the per-connection cap; the hub counts those
// connections and the first body byte (cold start) itself. The hub and every client run in
// processes of their own (ours through ours-process.ts, the product's download path).
// Needs: scripts/setup-python.sh (.venv), scripts/setup-bench.sh (aria2c, .venv/bench).
// Usage: npx tsx bench/download/run.ts [--mb-per-conn 8] [--runs 3] [--only ours,aria2c] [--out bench/results/download.md]
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CHUNK_SIZE, DEFAULT_MIN_PIECE_SIZE } from '../../server/src/hub/downloader.js';
import type { HubStats } from './hub-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const MiB = 1024 * 1024;
const REPO = 'bench/model-4bit';
const OUR_CONNECTIONS = 8;

const { values } = parseArgs({
  options: {
    'mb-per-conn': { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    /** Only the clients whose names contain one of these (comma-separated), e.g. `ours,aria2c`. */
    only: { type: 'string', default: '' },
    out: { type: 'string', default: join(ROOT, 'bench/results/download.md') },
  },
});
const perConn = Number(values['mb-per-conn']) * MiB;
const runs = Math.max(1, Number(values.runs));

/** The fake hub in its own process, driven over IPC. */
interface HubProcess {
  url: string;
  files: { path: string; size: number }[];
  /** Stats since the last reset, then reset them. */
  reset(): Promise<HubStats>;
  stats(): Promise<HubStats>;
  close(): Promise<void>;
}

async function startHubProcess(): Promise<HubProcess> {
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'hub-process.ts'), REPO, String(perConn)], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const ready = await new Promise<{ url: string; files: { path: string; size: number }[] }>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`fake hub process exited (${code})`)));
    proc.once('message', (m) => resolve(m as { url: string; files: { path: string; size: number }[] }));
  });
  let next = 0;
  const ask = (cmd: 'reset' | 'stats'): Promise<HubStats> =>
    new Promise((resolve) => {
      const id = next++;
      const onMessage = (m: { id?: number; stats?: HubStats }): void => {
        if (m.id !== id || !m.stats) return;
        proc.off('message', onMessage);
        resolve(m.stats);
      };
      proc.on('message', onMessage);
      proc.send({ id, cmd });
    });
  return {
    ...ready,
    reset: () => ask('reset'),
    stats: () => ask('stats'),
    close: async () => {
      proc.disconnect();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

function execFileP(cmd: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 16 * MiB, timeout: 600_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

/** When a client started (epoch ms, to compare with the hub's first-byte time) and how long it took. */
interface Timing {
  startedAt: number;
  seconds: number;
}

async function timed(run: () => Promise<unknown>): Promise<Timing> {
  const startedAt = Date.now();
  const t0 = performance.now();
  await run();
  return { startedAt, seconds: (performance.now() - t0) / 1000 };
}

const fileUrls = (hub: HubProcess): { url: string; name: string }[] =>
  hub.files.map((f, i) => ({ url: `${hub.url}/${REPO}/resolve/main/${f.path}`, name: `f${i}` }));

/** "<start epoch ms> <seconds>" on the last line of a client's output. */
function parseTiming(out: string): Timing {
  const [startedAt, seconds] = (out.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { startedAt: startedAt ?? NaN, seconds: seconds ?? NaN };
}

async function ours(hub: HubProcess, dir: string): Promise<Timing> {
  const out = await execFileP(process.execPath, ['--import', 'tsx', join(HERE, 'ours-process.ts'), REPO], {
    PATH: process.env.PATH ?? '', HOME: dir, HF_ENDPOINT: hub.url, HF_HUB_CACHE: dir,
  });
  return parseTiming(out);
}

async function curl(hub: HubProcess, dir: string): Promise<Timing> {
  await mkdir(dir, { recursive: true });
  return timed(async () => {
    for (const f of fileUrls(hub)) await execFileP('curl', ['-sSfL', '-o', join(dir, f.name), f.url], { PATH: process.env.PATH ?? '' });
  });
}

/** aria2c: the files one after another, each split over 8 connections (8 at most at any time). */
async function aria2(hub: HubProcess, dir: string): Promise<Timing> {
  await mkdir(dir, { recursive: true });
  const list = join(dir, 'urls.txt');
  await writeFile(list, fileUrls(hub).map((f) => `${f.url}\n  out=${f.name}\n`).join(''));
  const args = ['-i', list, '-d', dir, '-j1', '-x8', '-s8', '-k1M', '--file-allocation=none', '--console-log-level=warn', '--summary-interval=0', '--download-result=hide', '--allow-overwrite=true'];
  return timed(() => execFileP('aria2c', args, { PATH: process.env.PATH ?? '' }));
}

/** huggingface_hub's snapshot_download, timed inside Python so interpreter start-up is not counted. */
async function pythonClient(python: string, hub: HubProcess, dir: string, extraEnv: Record<string, string> = {}): Promise<Timing> {
  const code = 'import sys, time\nfrom huggingface_hub import snapshot_download\ns=time.time(); t=time.perf_counter()\nsnapshot_download(sys.argv[1])\nprint(s * 1000, time.perf_counter()-t)';
  const out = await execFileP(python, ['-c', code, REPO], {
    PATH: process.env.PATH ?? '', HOME: dir, HF_ENDPOINT: hub.url, HF_HUB_CACHE: dir, HF_HUB_DISABLE_TELEMETRY: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1', ...extraEnv,
  });
  return parseTiming(out);
}

interface Client {
  name: string;
  what: string;
  available: string | null;
  run(hub: HubProcess, dir: string): Promise<Timing>;
}

const CORE_PY = join(ROOT, '.venv/bin/python');
const BENCH_PY = join(ROOT, '.venv/bench/bin/python');
const hasCommand = async (cmd: string): Promise<boolean> => execFileP(cmd, ['--version'], { PATH: process.env.PATH ?? '' }).then(() => true, () => false);

async function clients(): Promise<Client[]> {
  return [
    {
      name: 'ours (mlx-manager)',
      what: `\`models pull\`'s path with the product defaults: ${OUR_CONNECTIONS} connections, 4 files at once, Range requests of ${DEFAULT_CHUNK_SIZE / MiB} MiB at most shrinking to ${DEFAULT_MIN_PIECE_SIZE / MiB} MiB near the end, sha256 hashed while the bytes arrive`,
      available: null,
      run: ours,
    },
    { name: 'aria2c -x8', what: 'files in turn, each split over 8 connections (`-j1 -x8 -s8 -k1M`)', available: (await hasCommand('aria2c')) ? null : 'no aria2c (scripts/setup-bench.sh)', run: aria2 },
    {
      name: 'huggingface_hub + hf_transfer',
      what: '0.36 `snapshot_download` with `HF_HUB_ENABLE_HF_TRANSFER=1`: files one after another (its rule when hf_transfer is on), those over 50 MiB in parallel 10 MiB Range chunks (up to 100 at once), smaller ones in one stream',
      available: existsSync(BENCH_PY) ? null : 'no .venv/bench (scripts/setup-bench.sh)',
      run: (hub, dir) => pythonClient(BENCH_PY, hub, dir, { HF_HUB_ENABLE_HF_TRANSFER: '1' }),
    },
    { name: 'huggingface_hub', what: 'the project venv’s `snapshot_download` (thread pool of files, one connection each)', available: existsSync(CORE_PY) ? null : 'no .venv', run: (hub, dir) => pythonClient(CORE_PY, hub, dir) },
    { name: 'curl (sequential)', what: 'one file after another, one connection each', available: null, run: curl },
  ];
}

interface Sample {
  seconds: number;
  firstByteMs: number;
  connections: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const hub = await startHubProcess();
  const total = hub.files.reduce((n, f) => n + f.size, 0);
  const work = await mkdtemp(join(tmpdir(), 'mlxm-bench-dl-'));
  const only = values.only!.split(',').filter(Boolean);
  const list = (await clients()).filter((c, i) => i === 0 || only.length === 0 || only.some((o) => c.name.includes(o)));
  const samples = new Map<string, Sample[]>(list.map((c) => [c.name, []]));
  try {
    for (let r = 0; r < runs; r++) {
      const line: string[] = [];
      for (const c of list) {
        if (c.available) continue;
        const dir = join(work, `${c.name.replace(/\W+/g, '-')}-${r}`);
        await hub.reset();
        const t = await c.run(hub, dir);
        const st = await hub.stats();
        if (st.bytesServed < total) throw new Error(`${c.name}: the hub sent ${st.bytesServed} of ${total} bytes`);
        const firstByteMs = (st.firstBodyByteAt ?? NaN) - t.startedAt;
        samples.get(c.name)!.push({ seconds: t.seconds, firstByteMs, connections: st.peakConcurrentBodies });
        await rm(dir, { recursive: true, force: true });
        line.push(`${c.name} ${t.seconds.toFixed(2)}s (${st.peakConcurrentBodies} conn)`);
      }
      process.stderr.write(`run ${r + 1}/${runs}: ${line.join(', ')}\n`);
    }
  } finally {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  }
  const mib = total / MiB;
  const oursTime = median(samples.get(list[0]!.name)!.map((s) => s.seconds));
  const capMiB = perConn / MiB;
  const rows = list.map((c) => {
    const s = samples.get(c.name)!;
    if (c.available) return `| ${c.name} | n/a: ${c.available} | | | | | | |`;
    const t = median(s.map((x) => x.seconds));
    const conns = Math.max(...s.map((x) => x.connections));
    const limit = conns * capMiB;
    const rate = mib / t;
    return `| ${c.name} | ${t.toFixed(2)} | ${rate.toFixed(1)} | ${(t / oursTime).toFixed(2)}× | ${conns} | ${limit.toFixed(0)} | ${((rate / limit) * 100).toFixed(0)} % | ${median(s.map((x) => x.firstByteMs)).toFixed(0)} |`;
  });
  const report = [
    '# Download benchmark',
    '',
    `Generated by \`bench/download/run.ts\` on ${new Date().toISOString()} (${cpus().length} cores, load average ${load.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end, Node ${process.version}).`,
    `Same ${mib.toFixed(0)} MiB repo (5 files, largest 96 MiB) from the local fake hub, throttled to ${capMiB.toFixed(0)} MiB/s **per connection**;`,
    `median of ${runs} runs. **Physical limit** of a client = connections it really had open at once (counted by the hub) × ${capMiB.toFixed(0)} MiB/s;`,
    `with our ${OUR_CONNECTIONS} connections that is ${(OUR_CONNECTIONS * capMiB).toFixed(0)} MiB/s. The cap is paced by the clock per TCP connection with no initial burst`,
    '(a connection may save at most 0.1 s of credit while idle), so no client beats its limit. The hub and every client run in processes of their own.',
    'First byte = from the client\'s start to the first file byte the hub sent: the cold start (metadata calls, redirects). Ours and the Python clients',
    'are timed inside their process (Node and Python start-up not counted), aria2c and curl from their spawn.',
    '',
    ...list.map((c) => `- **${c.name}**: ${c.what}.`),
    '',
    '| client | seconds | MiB/s | time vs ours | connections | limit MiB/s | of limit | first byte ms |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  await mkdir(join(values.out!, '..'), { recursive: true });
  await writeFile(values.out!, report);
  process.stdout.write(report);
  if (!(await readFile(values.out!, 'utf8')).includes('Physical limit')) throw new Error('report not written');
}

await main();
