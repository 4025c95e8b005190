// Counts the system calls each proxy makes per request (strace -c on its process while a fixed
// number of requests pass through it): a proxy's CPU on loopback is mostly socket writes and
// reads, so fewer calls per request is the first thing to look at. Not part of the report.
// Usage: npx tsx bench/gateway/syscalls.ts [--requests 2000] [--connections 16] [--stream]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAKE_OPENAI_KEY } from '../../server/test/fixtures/fake-upstreams/index.js';
import { runLoad, type Target } from './load.js';
import { startOurs } from './ours.js';
import { startChild, waitForLine, type Child } from './processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, connections: { type: 'string', default: '16' }, stream: { type: 'boolean', default: false } } });
const REQUESTS = Number(values.requests);
const MODEL = 'gpt-fake';

async function tsChild(file: string, args: string[]): Promise<{ child: Child; url: string; baseURL?: string }> {
  const child = startChild(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, file), ...args], { PATH: process.env.PATH ?? '' });
  const line = await waitForLine(child, /(\{"url".*\})\n/, 30_000);
  return { child, ...(JSON.parse(line) as { url: string; baseURL?: string }) };
}

/** strace -c -f on `pid` while `work` runs; returns its summary table. */
async function traced(pid: number, work: () => Promise<unknown>): Promise<string> {
  const strace = spawn('strace', ['-c', '-f', '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let out = '';
  strace.stderr.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((r) => setTimeout(r, 500));
  await work();
  strace.kill('SIGINT');
  await new Promise((r) => strace.once('close', r));
  return out;
}

const up = await tsChild('bench/gateway/upstream.ts', ['0']);
const bare = await tsChild('bench/gateway/bare-proxy.ts', [up.url]);
const ours = await startOurs(ROOT, [{ model: MODEL, baseURL: up.baseURL!, key: FAKE_OPENAI_KEY }]);
try {
  const targets: [string, Target, number][] = [
    ['bare', { name: 'bare', origin: bare.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${FAKE_OPENAI_KEY}` }, model: MODEL }, bare.child.pid],
    ['ours', { name: 'ours', origin: ours.url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${ours.key}` }, model: MODEL }, ours.child.pid],
  ];
  for (const [name, target, pid] of targets) {
    await runLoad(target, { connections: Number(values.connections), stream: values.stream, seconds: 2, maxRequests: 2000 });
    const table = await traced(pid, () => runLoad(target, { connections: Number(values.connections), stream: values.stream, seconds: 60, maxRequests: REQUESTS }));
    process.stdout.write(`== ${name}: ${REQUESTS} requests, calls per request:\n`);
    for (const line of table.split('\n')) {
      const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$/.exec(line);
      if (m && Number(m[1]) / REQUESTS >= 0.05) process.stdout.write(`  ${(Number(m[1]) / REQUESTS).toFixed(2).padStart(6)}  ${m[2]}\n`);
    }
  }
} finally {
  await ours.stop();
  await bare.child.stop();
  await up.child.stop();
}
