// A quick look at the gateway's hot path while working on it (not the report): direct vs a bare
// Node proxy (the ceiling) vs our built server — sequential added latency taking turns, then 16
// connections non-streamed and streamed with each proxy's CPU time per request read from /proc (on a
// busy machine the CPU time per request is steadier than req/s). Optionally writes a CPU profile of
// ours (non-streamed, or streamed with --profile-stream), or with --profile-heap an allocation profile. MLXM_EXP_* variables reach the server.
// Usage: npx tsx bench/gateway/quick.ts [--seconds 3] [--rounds 1] [--connections 16] [--profile f.cpuprofile [--profile-stream] [--profile-heap]] [--skip-build]
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAKE_OPENAI_KEY } from '../../server/test/fixtures/fake-upstreams/index.js';
import { runInterleaved, runLoad, SEQ_WARMUP_S, type Target } from './load.js';
import { buildServer, startOurs } from './ours.js';
import { startChild, waitForLine, type Child } from './processes.js';
import { added, summarize } from './stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '16' },
    profile: { type: 'string' },
    'profile-stream': { type: 'boolean', default: false },
    'profile-heap': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const MODEL = 'gpt-fake';
const say = (m: string) => process.stderr.write(`${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function tsChild(file: string, args: string[]): Promise<{ child: Child; url: string; baseURL?: string }> {
  const child = startChild(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, file), ...args], { PATH: process.env.PATH ?? '' });
  const line = await waitForLine(child, /(\{"url".*\})\n/, 30_000);
  return { child, ...(JSON.parse(line) as { url: string; baseURL?: string }) };
}

async function main(): Promise<void> {
  if (!values['skip-build']) await buildServer(ROOT);
  const profileDir = await mkdtemp(join(tmpdir(), 'mlxm-quick-'));
  const profileFile = join(profileDir, 'ours.cpuprofile');
  const up = await tsChild('bench/gateway/upstream.ts', ['0']);
  const bare = await tsChild('bench/gateway/bare-proxy.ts', [up.url]);
  const env: Record<string, string> = values.profile ? { NODE_OPTIONS: `--import ${join(ROOT, 'bench/gateway/profile-preload.mjs')}`, MLXM_BENCH_PROFILE_FILE: profileFile } : {};
  if (values.profile && values['profile-heap']) env.MLXM_BENCH_PROFILE_KIND = 'heap';
  if (process.env.QUICK_NODE_OPTIONS) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${process.env.QUICK_NODE_OPTIONS}`;
  for (const [k, v] of Object.entries(process.env)) if ((k.startsWith('MLXM_EXP_') || k.startsWith('MLXM_BENCH_HEAP_')) && v !== undefined) env[k] = v;
  const ours = await startOurs(ROOT, [{ model: MODEL, baseURL: up.baseURL!, key: FAKE_OPENAI_KEY }], env);
  try {
    const targets: Record<string, Target> = {
      direct: { name: 'direct', origin: up.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${FAKE_OPENAI_KEY}` }, model: MODEL },
      bare: { name: 'bare', origin: bare.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${FAKE_OPENAI_KEY}` }, model: MODEL },
      ours: { name: 'ours', origin: ours.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${ours.key}` }, model: MODEL },
    };
    const pids: Record<string, number> = { bare: bare.child.pid, ours: ours.child.pid };
    say(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const stream of [false, true]) {
      const seq: string[] = [];
      for (const via of ['bare', 'ours']) {
        const pair = [targets.direct!, targets[via]!];
        await runInterleaved(pair, stream, SEQ_WARMUP_S, 500_000);
        const [d, p] = (await runInterleaved(pair, stream, SECONDS * 2, 500_000)).map(summarize);
        seq.push(`${via} added p50 ${added(p!, d!).p50.toFixed(2)} p99 ${added(p!, d!).p99.toFixed(2)} (direct p99 ${d!.p99.toFixed(2)})`);
      }
      say(`${stream ? 'stream' : 'plain '} seq: ${seq.join(' | ')}`);
    }
    const connections = Number(values.connections);
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const stream of [false, true]) {
        const rps: Record<string, number> = {};
        const cpu: Record<string, number> = {};
        for (const via of ['direct', 'bare', 'ours']) {
          await runLoad(targets[via]!, { connections, stream, seconds: 1, maxRequests: 200_000 });
          const c0 = pids[via] ? cpuSeconds(pids[via]) : 0;
          const run = await runLoad(targets[via]!, { connections, stream, seconds: SECONDS, maxRequests: 500_000 });
          const c1 = pids[via] ? cpuSeconds(pids[via]) : 0;
          rps[via] = run.samples.length / run.seconds;
          cpu[via] = run.samples.length ? ((c1 - c0) / run.samples.length) * 1e6 : NaN;
          if (run.errors) say(`  ${via}: ${run.errors} errors, e.g. ${run.errorExamples[0]}`);
        }
        say(
          `${stream ? 'stream' : 'plain '} ${connections} conn: direct ${rps.direct!.toFixed(0)} | bare ${rps.bare!.toFixed(0)} (${(rps.bare! / rps.direct!).toFixed(2)}×, ${cpu.bare!.toFixed(0)} µs/req) | ours ${rps.ours!.toFixed(0)} (${(rps.ours! / rps.direct!).toFixed(2)}×, ${cpu.ours!.toFixed(0)} µs/req)  load ${loadavg()[0]!.toFixed(2)}`,
        );
      }
    }
    if (values.profile) {
      process.kill(ours.child.pid, 'SIGUSR2');
      await runLoad(targets.ours!, { connections, stream: values['profile-stream'], seconds: SECONDS, maxRequests: 500_000 });
      process.kill(ours.child.pid, 'SIGUSR2');
      for (let i = 0; i < 100 && !existsSync(profileFile); i++) await sleep(100);
      await sleep(500);
      if (existsSync(profileFile)) await copyFile(profileFile, values.profile);
      say(`profile: ${values.profile}`);
    }
  } finally {
    await ours.stop();
    await bare.child.stop();
    await up.child.stop();
    await rm(profileDir, { recursive: true, force: true });
  }
}

await main();
