// Gateway benchmark: direct calls vs a bare Node proxy (the ceiling) vs through MLX Manager vs through
// Portkey's gateway, against the same fake OpenAI upstream on loopback; non-streaming and streaming
// at 1, 16 and 100 connections, 512 concurrent open streams, idle RSS. Writes bench/results/gateway.md.
// Usage: npx tsx bench/gateway/run.ts [--seconds 3] [--warmup 1] [--streams 512] [--skip-build] [--no-profile] [--out …]
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAKE_OPENAI_KEY } from '../../server/test/fixtures/fake-upstreams/index.js';
import { runInterleaved, runLoad, runOpenStreams, SEQ_TURNS, SEQ_WARMUP_S, type Target } from './load.js';
import { buildServer, startOurs, type OursServer } from './ours.js';
import { startPortkey, type PortkeyServer } from './portkey.js';
import { summarizeProfile, type CpuProfile } from './profile.js';
import { mergeRuns, type RunResult } from './stats.js';
import { forgetRss, rssMB, rssSampler, startChild, waitForLine, type Child } from './processes.js';
import { renderReport, verdicts, type BenchResults, type Via } from './report.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    streams: { type: 'string', default: '512' },
    'skip-build': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/results/gateway.md') },
  },
});
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const STREAMS = Number(values.streams);
const PACE_MS = 100;
const CONNECTIONS = [1, 16, 100];
/** Measured slices per target and load level (their samples are added up), and each slice's warm-up. */
const ROUNDS = 3;
const SLICE_WARMUP_S = 0.25;
const FAST_MODEL = 'gpt-fake';
const PACED_MODEL = 'gpt-fake-mini';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (m: string) => process.stderr.write(`${m}\n`);

/** The fake upstream in its own process; `paceMs` between stream events. */
async function startUpstream(paceMs: number): Promise<{ child: Child; url: string; baseURL: string }> {
  const child = startChild(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'bench/gateway/upstream.ts'), String(paceMs)], { PATH: process.env.PATH ?? '' });
  const line = await waitForLine(child, /(\{"url".*\})\n/, 30_000);
  return { child, ...(JSON.parse(line) as { url: string; baseURL: string }) };
}

/** The bare Node proxy (the ceiling) in its own process, in front of one upstream origin. */
async function startBare(upstreamOrigin: string): Promise<{ child: Child; url: string }> {
  const child = startChild(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'bench/gateway/bare-proxy.ts'), upstreamOrigin], { PATH: process.env.PATH ?? '' });
  const line = await waitForLine(child, /(\{"url".*\})\n/, 30_000);
  return { child, ...(JSON.parse(line) as { url: string }) };
}

/**
 * One extra cell (16 connections, non-streaming) through our server with V8's profiler on, after
 * the measured ones so its overhead touches no figure; the preload writes the profile on SIGUSR2.
 */
async function profileOurs(ours: OursServer, target: Target, file: string): Promise<CpuProfile | null> {
  process.kill(ours.child.pid, 'SIGUSR2');
  await runLoad(target, { connections: 16, stream: false, seconds: SECONDS, maxRequests: 500_000 });
  process.kill(ours.child.pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100);
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as CpuProfile) : null;
}

async function main(): Promise<void> {
  const started: { stop(): Promise<void> }[] = [];
  const profileDir = await mkdtemp(join(tmpdir(), 'mlxm-bench-prof-'));
  const profileFile = join(profileDir, 'ours.cpuprofile');
  const profiling = !values['no-profile'];
  const results: BenchResults = {
    date: new Date().toISOString(),
    cores: cpus().length,
    node: process.version,
    loadAverage: { before: loadavg()[0] ?? 0, after: 0 },
    seconds: SECONDS,
    warmupSeconds: WARMUP,
    portkeyVersion: (JSON.parse(await readFile(join(ROOT, 'node_modules/@portkey-ai/gateway/package.json'), 'utf8')) as { version: string }).version,
    skipped: {},
    cells: [],
    interleaved: [],
    turns: { ...SEQ_TURNS, warmupSeconds: SEQ_WARMUP_S },
    loadSlices: { rounds: ROUNDS, warmupSeconds: SLICE_WARMUP_S },
    streams: {},
    streamCount: STREAMS,
    paceMs: PACE_MS,
    idleRssMB: {},
    notes: [],
  };
  try {
    const fast = await startUpstream(0);
    const paced = await startUpstream(PACE_MS);
    started.push(fast.child, paced.child);
    const targets: Partial<Record<Via, (model: string) => Target>> = {
      direct: (model) => ({ name: 'direct', origin: model === FAST_MODEL ? fast.url : paced.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${FAKE_OPENAI_KEY}` }, model }),
    };
    const pids: Partial<Record<Via, number>> = {};
    const bareFast = await startBare(fast.url);
    const barePaced = await startBare(paced.url);
    started.push(bareFast.child, barePaced.child);
    targets.bare = (model) => ({ name: 'bare', origin: model === FAST_MODEL ? bareFast.url : barePaced.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${FAKE_OPENAI_KEY}` }, model });

    let ours: OursServer | undefined;
    try {
      if (!values['skip-build']) {
        say('› building contract and server');
        const note = await buildServer(ROOT);
        if (note) results.notes.push(`MLX Manager: ${note}.`);
      }
      const profileEnv: Record<string, string> = profiling ? { NODE_OPTIONS: `--import ${join(ROOT, 'bench/gateway/profile-preload.mjs')}`, MLXM_BENCH_PROFILE_FILE: profileFile } : {};
      ours = await startOurs(
        ROOT,
        [
          { model: FAST_MODEL, baseURL: fast.baseURL, key: FAKE_OPENAI_KEY },
          { model: PACED_MODEL, baseURL: paced.baseURL, key: FAKE_OPENAI_KEY },
        ],
        profileEnv,
      );
      started.push(ours);
      const { url, key } = ours;
      targets.ours = (model) => ({ name: 'ours', origin: url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, model });
      pids.ours = ours.child.pid;
    } catch (err) {
      results.skipped.ours = String((err as Error).message).split('\n').slice(0, 6).join(' ');
      say(`✗ MLX Manager not measured: ${results.skipped.ours}`);
    }

    let portkey: PortkeyServer | undefined;
    try {
      portkey = await startPortkey(ROOT);
      started.push(portkey);
      const pk = portkey;
      targets.portkey = (model) => ({ name: 'portkey', origin: pk.url, path: '/v1/chat/completions', headers: pk.headersFor(model === FAST_MODEL ? fast.baseURL : paced.baseURL, FAKE_OPENAI_KEY), model });
      pids.portkey = portkey.child.pid;
    } catch (err) {
      results.skipped.portkey = String((err as Error).message).split('\n').slice(0, 6).join(' ');
      say(`✗ Portkey not measured: ${results.skipped.portkey}`);
    }

    const vias = (Object.keys(targets) as Via[]).filter((v) => targets[v]);
    // A few requests through each proxy (first-use costs), then idle RSS.
    for (const via of vias) await runLoad(targets[via]!(FAST_MODEL), { connections: 1, stream: false, seconds: 0.5, maxRequests: 50 });
    await sleep(1000);
    const idleBefore: Partial<Record<Via, number>> = {};
    for (const via of vias) if (pids[via]) idleBefore[via] = await rssMB(pids[via]!);

    // Sequential: each proxy takes turns with direct alone, so no other proxy's work lands in its figures.
    const proxies = vias.filter((v) => v !== 'direct');
    for (const stream of [false, true]) {
      for (const via of proxies) {
        const pair = [targets.direct!(FAST_MODEL), targets[via]!(FAST_MODEL)];
        await runInterleaved(pair, stream, SEQ_WARMUP_S, 500_000);
        const [direct, run] = await runInterleaved(pair, stream, SECONDS * 4, 500_000);
        results.interleaved.push({ stream, via, run: run!, direct: direct! });
        say(`  ${stream ? 'stream' : 'plain '}   1 conn, taking turns with direct: ${via} ${run!.samples.length}, direct ${direct!.samples.length}`);
      }
    }

    // Load: direct and each target take turns in slices, ROUNDS times, each slice after a short
    // unmeasured warm-up (it absorbs what the previous target left running, e.g. a collection).
    for (const stream of [false, true]) {
      for (const connections of CONNECTIONS) {
        const slices: Partial<Record<Via, RunResult[]>> = {};
        for (const via of vias) await runLoad(targets[via]!(FAST_MODEL), { connections, stream, seconds: WARMUP, maxRequests: 200_000 });
        for (let round = 0; round < ROUNDS; round++) {
          for (const via of vias) {
            const target = targets[via]!(FAST_MODEL);
            await runLoad(target, { connections, stream, seconds: SLICE_WARMUP_S, maxRequests: 100_000 });
            const run = await runLoad(target, { connections, stream, seconds: SECONDS / ROUNDS, maxRequests: 500_000, ...(pids[via] ? { sampleRss: rssSampler(pids[via]!) } : {}) });
            (slices[via] ??= []).push(run);
          }
        }
        for (const via of vias) {
          const run = mergeRuns(slices[via]!);
          results.cells.push({ stream, connections, via, run });
          say(`  ${stream ? 'stream' : 'plain '} ${String(connections).padStart(3)} conn ${via.padEnd(7)} ${(run.samples.length / run.seconds).toFixed(0).padStart(6)} req/s, ${run.errors} errors`);
        }
      }
    }

    for (const via of vias) {
      results.streams[via] = await runOpenStreams(targets[via]!(PACED_MODEL), STREAMS, pids[via] ? rssSampler(pids[via]!) : undefined);
      const s = results.streams[via]!;
      say(`  ${STREAMS} streams ${via.padEnd(7)} ${s.completed} complete, ${s.errors} errors, max gap ${s.maxGapMs.toFixed(0)} ms`);
    }

    await sleep(3000);
    for (const via of vias) if (pids[via]) results.idleRssMB[via] = { before: idleBefore[via]!, after: await rssMB(pids[via]!) };
    if (profiling && ours && targets.ours) {
      const profile = await profileOurs(ours, targets.ours(FAST_MODEL), profileFile);
      if (profile) results.profile = summarizeProfile(profile, ROOT);
    }
  } finally {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    forgetRss();
    await rm(profileDir, { recursive: true, force: true });
  }

  results.loadAverage.after = loadavg()[0] ?? 0;
  const report = renderReport(results);
  await mkdir(join(values.out!, '..'), { recursive: true });
  await writeFile(values.out!, report);
  process.stdout.write(report);
  const missed = verdicts(results, 'ours').filter((v) => !v.ok);
  if (results.skipped.ours) say('\n! MLX Manager was not measured (see the report).');
  else if (missed.length) say(`\n! targets missed by MLX Manager: ${missed.map((m) => m.label).join('; ')}`);
}

await main();
