// Two builds side by side in one run, to tell whether a change to the data plane helps: this
// working tree's build and a base commit's (built in a temporary git worktree), both started as
// the benchmark starts ours, loaded in turns with direct runs between them. On this shared machine
// the same build reads ±10 % from one minute to the next, so only builds measured in interleaved
// rounds of one run compare. Reports medians over the rounds: the main thread's and the whole
// process's CPU per request (per thread, from /proc: Linux only), req/s and its ratio to direct,
// and latency percentiles over all rounds. Not part of the report.
// Usage: npx tsx bench/gateway/ab.ts --base <commit> [--rounds 9] [--seconds 2] [--connections 16] [--stream] [--skip-build]
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { FAKE_OPENAI_KEY } from '../../server/test/fixtures/fake-upstreams/index.js';
import { runLoad, type Target } from './load.js';
import { buildServer, startOurs, type OursServer } from './ours.js';
import { startChild, waitForLine } from './processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '9' },
    seconds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' },
    stream: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
if (!values.base) throw new Error('--base <commit> is required (the build to compare this working tree with)');
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const MODEL = 'gpt-fake';
const say = (m: string) => process.stderr.write(`${m}\n`);

/** CPU seconds so far of each thread of a process, by thread id. */
function threadSeconds(pid: number): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      seconds.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended meanwhile
    }
  }
  return seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;

/** A git worktree of `rev` sharing this tree's node_modules, built; removed by the returned function. */
async function baseBuild(rev: string): Promise<{ root: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mlxm-ab-'));
  await run('git', ['-C', ROOT, 'worktree', 'add', '--detach', '--force', root, rev]);
  const remove = async () => {
    await run('git', ['-C', ROOT, 'worktree', 'remove', '--force', root]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  try {
    await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    const note = await buildServer(root);
    if (note) say(`base: ${note}`);
    return { root, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}

async function main(): Promise<void> {
  if (!values['skip-build']) {
    const note = await buildServer(ROOT);
    if (note) say(`working tree: ${note}`);
  }
  const base = await baseBuild(values.base!);
  const up = startChild(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'bench/gateway/upstream.ts'), '0'], { PATH: process.env.PATH ?? '' });
  const servers: OursServer[] = [];
  try {
    const { url, baseURL } = JSON.parse(await waitForLine(up, /(\{"url".*\})\n/, 30_000)) as { url: string; baseURL: string };
    const builds = [
      { name: `base ${values.base}`, root: base.root },
      { name: 'working tree', root: ROOT },
    ];
    for (const b of builds) servers.push(await startOurs(b.root, [{ model: MODEL, baseURL, key: FAKE_OPENAI_KEY }]));
    const direct: Target = { name: 'direct', origin: url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${FAKE_OPENAI_KEY}` }, model: MODEL };
    const targets = servers.map((s, i): Target => ({ name: builds[i]!.name, origin: s.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${s.key}` }, model: MODEL }));
    const load = { connections: CONNECTIONS, stream: values.stream, maxRequests: 1_000_000 };
    for (const t of targets) await runLoad(t, { ...load, seconds: 3 }); // warm: V8 compiles the hot paths
    const results = targets.map(() => ({ main: [] as number[], all: [] as number[], rps: [] as number[], ratio: [] as number[], latency: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < targets.length; i++) {
        const pid = servers[i]!.child.pid;
        await runLoad(targets[i]!, { ...load, seconds: 0.5 }); // what the other build left running does not count
        const before = threadSeconds(pid);
        const measured = await runLoad(targets[i]!, { ...load, seconds: SECONDS });
        const after = threadSeconds(pid);
        const directRun = await runLoad(direct, { ...load, seconds: SECONDS / 2 });
        const n = measured.samples.length;
        let all = 0;
        for (const [tid, s] of after) all += s - (before.get(tid) ?? 0);
        const r = results[i]!;
        r.main.push(((after.get(String(pid))! - before.get(String(pid))!) / n) * 1e6);
        r.all.push((all / n) * 1e6);
        r.rps.push(n / measured.seconds);
        r.ratio.push(n / measured.seconds / (directRun.samples.length / directRun.seconds));
        for (const sample of measured.samples) r.latency.push(sample.total);
        if (measured.errors) say(`${builds[i]!.name}: ${measured.errors} errors, e.g. ${measured.errorExamples[0]}`);
      }
      say(`round ${round + 1}/${ROUNDS}`);
    }
    say(`${CONNECTIONS} connections, ${values.stream ? 'streaming' : 'non-streaming'}, ${ROUNDS} rounds of ${SECONDS} s; medians (each round's figures in brackets)`);
    results.forEach((r, i) => {
      const sorted = r.latency.sort((a, b) => a - b);
      say(`${builds[i]!.name}`);
      say(`  main thread ${median(r.main).toFixed(1)} µs/request (${r.main.map((x) => x.toFixed(0)).join(' ')}), whole process ${median(r.all).toFixed(1)} µs`);
      say(`  ${median(r.rps).toFixed(0)} req/s, ${median(r.ratio).toFixed(3)}× direct (${r.ratio.map((x) => x.toFixed(2)).join(' ')})`);
      say(`  latency p50 ${percentile(sorted, 0.5).toFixed(3)} ms, p99 ${percentile(sorted, 0.99).toFixed(3)} ms, p99.9 ${percentile(sorted, 0.999).toFixed(3)} ms`);
    });
  } finally {
    for (const s of servers) await s.stop();
    await up.stop();
    await base.remove();
  }
}

await main();
