// Idle RSS of the built server alone, measured as the gateway benchmark does (run.ts): start
// `mlx-manager serve` in a fresh data folder, configure it through the API, send 50 requests,
// wait 1 s, read RSS; then a short load (16 connections, plain then streamed: req/s) and RSS 3 s later.
// Faster than the whole benchmark when working on start-up memory. Prints one JSON line per run.
// Usage: npx tsx bench/gateway/idle.ts [--runs 1] [--load-seconds 2] [--node-options=…] [--root <checkout>]
// (--root: another checkout whose server/dist to start, e.g. an older commit built elsewhere.)
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAKE_OPENAI_KEY } from '../../server/test/fixtures/fake-upstreams/index.js';
import { runLoad, type Target } from './load.js';
import { startOurs } from './ours.js';
import { forgetRss, rssMB, startChild, waitForLine } from './processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    'load-seconds': { type: 'string', default: '2' },
    'node-options': { type: 'string', default: '' },
    root: { type: 'string', default: ROOT },
  },
});
const MODEL = 'gpt-fake';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lines of /proc/<pid>/status that split resident memory (kB). */
async function residentParts(pid: number): Promise<Record<string, number>> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const parts: Record<string, number> = {};
  for (const m of status.matchAll(/^(VmRSS|RssAnon|RssFile|RssShmem|VmHWM|Threads):\s+(\d+)/gm)) parts[m[1]!] = Number(m[2]);
  return parts;
}

async function once(upstreamBase: string, loadSeconds: number): Promise<Record<string, unknown>> {
  const env: Record<string, string> = values['node-options'] ? { NODE_OPTIONS: values['node-options'] } : {};
  const ours = await startOurs(values.root, [{ model: MODEL, baseURL: upstreamBase, key: FAKE_OPENAI_KEY }], env);
  try {
    const target: Target = { name: 'ours', origin: ours.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${ours.key}` }, model: MODEL };
    await runLoad(target, { connections: 1, stream: false, seconds: 0.5, maxRequests: 50 });
    await sleep(1000);
    const idle = await rssMB(ours.child.pid);
    const idleParts = await residentParts(ours.child.pid);
    if (loadSeconds <= 0) return { idleMB: Math.round(idle), idleParts };
    const reqPerSecond: Record<string, number> = {};
    for (const stream of [false, true]) {
      const run = await runLoad(target, { connections: 16, stream, seconds: loadSeconds, maxRequests: 500_000 });
      reqPerSecond[stream ? 'streamed' : 'plain'] = Math.round(run.samples.length / run.seconds);
    }
    await sleep(3000);
    return { idleMB: Math.round(idle), afterLoadMB: Math.round(await rssMB(ours.child.pid)), reqPerSecond, idleParts, afterParts: await residentParts(ours.child.pid) };
  } finally {
    await ours.stop();
  }
}

const upstream = startChild(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'bench/gateway/upstream.ts'), '0'], { PATH: process.env.PATH ?? '' });
try {
  const { baseURL } = JSON.parse(await waitForLine(upstream, /(\{"url".*\})\n/, 30_000)) as { baseURL: string };
  for (let i = 0; i < Number(values.runs); i++) {
    const result = await once(baseURL, Number(values['load-seconds']));
    process.stdout.write(`${JSON.stringify({ load1: Number(loadavg()[0]?.toFixed(2)), ...result })}\n`);
  }
} finally {
  await upstream.stop();
  forgetRss();
}
