// Download benchmark: our downloader vs curl (one file after another) vs the official
// huggingface_hub client, on the same files from the local fake hub. The fake hub throttles each
// connection (like a CDN edge per TCP stream), so parallel files and ranged chunks matter.
// Usage: npx tsx bench/download/run.ts [--mb-per-conn 8] [--runs 3] [--out bench/results/download.md]
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HubClient } from '../../server/src/hub/client.js';
import { downloadSnapshot } from '../../server/src/hub/downloader.js';
import { startFakeHub, type FakeHub, type FakeRepoInput } from '../../server/test/fixtures/fake-hub/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 1024 * 1024;
const REPO = 'bench/model-4bit';

const { values } = parseArgs({
  options: {
    'mb-per-conn': { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: join(ROOT, 'bench/results/download.md') },
  },
});
const perConn = Number(values['mb-per-conn']) * MiB;
const runs = Math.max(1, Number(values.runs));

/** Incompressible but cheap bytes (a sha256 counter stream). */
function bytes(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  let off = 0;
  for (let i = 0; off < n; i++) {
    const block = createHash('sha256').update(`${seed}:${i}`).digest();
    off += block.copy(out, off);
  }
  return out;
}

function benchRepo(): FakeRepoInput {
  return {
    id: REPO,
    tags: ['mlx'],
    files: [
      { path: 'config.json', content: JSON.stringify({ model_type: 'llama', quantization: { bits: 4, group_size: 64 } }) },
      { path: 'tokenizer.json', content: bytes(2 * MiB, 'tok').toString('base64').slice(0, 2 * MiB) },
      { path: 'model-00001-of-00002.safetensors', content: bytes(96 * MiB, 'a') },
      { path: 'model-00002-of-00002.safetensors', content: bytes(32 * MiB, 'b') },
      { path: 'model.safetensors.index.json', content: '{"weight_map":{}}' },
    ],
  };
}

function execFileP(cmd: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 16 * MiB, timeout: 600_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

async function timeOurs(hub: FakeHub, dir: string): Promise<number> {
  const client = new HubClient({ endpoint: hub.url });
  const t0 = performance.now();
  try {
    await downloadSnapshot({ repo: REPO }, { client, cacheDir: dir, chunkSize: 8 * MiB, connections: 8, fileConcurrency: 4 });
  } finally {
    await client.close();
  }
  return (performance.now() - t0) / 1000;
}

async function timeCurl(hub: FakeHub, dir: string): Promise<number> {
  const repo = hub.repos.get(REPO)!;
  await mkdir(dir, { recursive: true });
  const t0 = performance.now();
  for (const [i, f] of repo.files.entries()) {
    await execFileP('curl', ['-sSfL', '-o', join(dir, `f${i}`), `${hub.url}/${REPO}/resolve/main/${f.path}`], { PATH: process.env.PATH ?? '' });
  }
  return (performance.now() - t0) / 1000;
}

async function timePython(hub: FakeHub, dir: string): Promise<number | undefined> {
  const py = join(ROOT, '.venv/bin/python');
  if (!existsSync(py)) return undefined;
  // Timed inside Python so interpreter start-up is not counted against it.
  const code = 'import sys, time\nfrom huggingface_hub import snapshot_download\nt=time.perf_counter()\nsnapshot_download(sys.argv[1])\nprint(time.perf_counter()-t)';
  const out = await execFileP(py, ['-c', code, REPO], {
    PATH: process.env.PATH ?? '', HOME: dir, HF_ENDPOINT: hub.url, HF_HUB_CACHE: dir, HF_HUB_DISABLE_TELEMETRY: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1',
  });
  return Number(out.trim().split('\n').at(-1));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const hub = await startFakeHub({ repos: [benchRepo()], faults: { throttleBytesPerSec: perConn } });
  const total = hub.repos.get(REPO)!.files.reduce((n, f) => n + f.size, 0);
  const work = await mkdtemp(join(tmpdir(), 'mlxm-bench-dl-'));
  const times: Record<'ours' | 'curl' | 'python', number[]> = { ours: [], curl: [], python: [] };
  try {
    for (let r = 0; r < runs; r++) {
      times.ours.push(await timeOurs(hub, join(work, `ours-${r}`)));
      times.curl.push(await timeCurl(hub, join(work, `curl-${r}`)));
      const p = await timePython(hub, join(work, `py-${r}`));
      if (p !== undefined) times.python.push(p);
      await rm(join(work, `ours-${r}`), { recursive: true, force: true });
      await rm(join(work, `curl-${r}`), { recursive: true, force: true });
      await rm(join(work, `py-${r}`), { recursive: true, force: true });
      process.stderr.write(`run ${r + 1}/${runs}: ours ${times.ours.at(-1)?.toFixed(2)}s, curl ${times.curl.at(-1)?.toFixed(2)}s, huggingface_hub ${times.python.at(-1)?.toFixed(2) ?? 'n/a'}s\n`);
    }
  } finally {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  }
  const mbps = (t: number): number => total / MiB / t;
  const ours = median(times.ours);
  const curl = median(times.curl);
  const python = times.python.length ? median(times.python) : undefined;
  const row = (name: string, t: number | undefined): string =>
    t === undefined ? `| ${name} | n/a (no .venv) | | |` : `| ${name} | ${t.toFixed(2)} | ${mbps(t).toFixed(1)} | ${(t / ours).toFixed(2)}× |`;
  const report = [
    '# Download benchmark',
    '',
    `Generated by \`bench/download/run.ts\` on ${new Date().toISOString()} (${cpus().length} cores, Node ${process.version}).`,
    `Same ${(total / MiB).toFixed(0)} MiB repo (5 files, largest 96 MiB) from the local fake hub, throttled to`,
    `${(perConn / MiB).toFixed(0)} MiB/s **per connection**; median of ${runs} runs. Ours: 8 connections, 8 MiB Range chunks,`,
    '4 files at once, sha256 verified. curl: one file after another, one connection each.',
    'huggingface_hub: `snapshot_download` (timed inside Python; its own thread pool of files).',
    '',
    '| client | seconds | MiB/s | time vs ours |',
    '|---|---|---|---|',
    row('ours (mlx-manager)', ours),
    row('curl (sequential)', curl),
    row('huggingface_hub', python),
    '',
    `**Throughput ratios:** ours / curl = ${(curl / ours).toFixed(2)}×` + (python ? `, ours / huggingface_hub = ${(python / ours).toFixed(2)}×.` : '.'),
    '',
  ].join('\n');
  await mkdir(join(values.out!, '..'), { recursive: true });
  await writeFile(values.out!, report);
  process.stdout.write(report);
  // Sanity: the report is what was written.
  if (!(await readFile(values.out!, 'utf8')).includes('Throughput ratios')) throw new Error('report not written');
}

await main();
