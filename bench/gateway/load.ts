// The load generator: `connections` loops on one undici Pool, each sending the next request as
// soon as the previous answer is read, for a bounded time and count. It measures time to first
// byte (headers for plain answers, the first body chunk for streams) and to the end of the body,
// and checks each answer (status 200, the echoed text, `[DONE]` at the end of a stream).
import { Pool } from 'undici';
import type { RunResult, Sample } from './stats.js';

export interface Target {
  name: string;
  /** Origin, e.g. http://127.0.0.1:1234 */
  origin: string;
  /** Path of the chat completions endpoint. */
  path: string;
  headers: Record<string, string>;
  /** The `model` the requests name. */
  model: string;
}

export interface LoadOptions {
  connections: number;
  stream: boolean;
  seconds: number;
  /** Upper bound on requests whatever the time (keeps a very fast run bounded in memory). */
  maxRequests: number;
  /** Samples the process under test while the load runs; returns the peak RSS in MB. */
  sampleRss?: () => { stop(): Promise<number | null> };
}

export const PROMPT = 'hello from the gateway benchmark';
export const EXPECTED = `you said: ${PROMPT}`;

export function requestBody(model: string, stream: boolean): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: PROMPT }], ...(stream ? { stream: true } : {}) });
}

/** One request; resolves with its timings or throws why the answer was wrong. */
async function once(pool: Pool, target: Target, body: string, stream: boolean): Promise<Sample> {
  const t0 = performance.now();
  const res = await pool.request({ path: target.path, method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body });
  let ttfb = performance.now() - t0;
  let text = '';
  let first = true;
  for await (const chunk of res.body) {
    if (first && stream) ttfb = performance.now() - t0;
    first = false;
    text += (chunk as Buffer).toString('utf8');
  }
  const total = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  if (stream ? !text.trimEnd().endsWith('data: [DONE]') : !text.includes(EXPECTED)) throw new Error(`unexpected body: ${text.slice(0, 200)}`);
  return { ttfb, total };
}

export async function runLoad(target: Target, options: LoadOptions): Promise<RunResult> {
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const body = requestBody(target.model, options.stream);
  const samples: Sample[] = [];
  const errorExamples: string[] = [];
  let errors = 0;
  let sent = 0;
  const sampler = options.sampleRss?.();
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      sent++;
      try {
        samples.push(await once(pool, target, body, options.stream));
      } catch (err) {
        errors++;
        if (errorExamples.length < 3) errorExamples.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const seconds = (performance.now() - start) / 1000;
  const peakRssMB = sampler ? await sampler.stop() : null;
  await pool.close();
  return { samples, errors, errorExamples, seconds, peakRssMB };
}

/** How runInterleaved takes turns. */
export interface TurnOptions {
  /** Measured time per turn. */
  sliceMs: number;
  /** Unmeasured requests before each turn's measured ones, for this long. */
  settleMs: number;
}

/**
 * The turns both benchmark scripts take, and the unmeasured turns before them: steady state is
 * what a gateway in use runs in — a fresh server's first thousands of requests also pay for V8
 * compiling its hot paths.
 */
export const SEQ_TURNS: TurnOptions = { sliceMs: 1000, settleMs: 250 };
export const SEQ_WARMUP_S = 3;

/**
 * Sequential requests, one connection per target, taking turns in time slices: back-to-back
 * requests to A for a while, then to B, then A again… Both see the same moments of the machine's
 * background load, so the difference of their percentiles is what the proxy adds rather than what
 * the machine did meanwhile. Each turn starts with `settleMs` of unmeasured requests: the switch
 * itself (a process waking after idling, what the other target left running) is not sequential
 * traffic's cost. Slices of time, not of a request count, cannot line up with a process's
 * every-N-requests work.
 */
export async function runInterleaved(targets: Target[], stream: boolean, seconds: number, maxRequests: number, turns: TurnOptions = SEQ_TURNS): Promise<RunResult[]> {
  const pools = targets.map((t) => new Pool(t.origin, { connections: 1, pipelining: 1, keepAliveTimeout: 30_000 }));
  const out: RunResult[] = targets.map(() => ({ samples: [], errors: 0, errorExamples: [], seconds: 0, peakRssMB: null }));
  const deadline = performance.now() + seconds * 1000;
  let sent = 0;
  while (sent < maxRequests && performance.now() < deadline) {
    for (const [i, target] of targets.entries()) {
      const result = out[i]!;
      const body = requestBody(target.model, stream);
      const settled = performance.now() + turns.settleMs;
      while (performance.now() < settled) await once(pools[i]!, target, body, stream).catch(() => undefined);
      const sliceEnd = performance.now() + turns.sliceMs;
      for (let t0 = performance.now(); t0 < sliceEnd && sent < maxRequests; t0 = performance.now(), sent++) {
        try {
          result.samples.push(await once(pools[i]!, target, body, stream));
        } catch (err) {
          result.errors++;
          if (result.errorExamples.length < 3) result.errorExamples.push(err instanceof Error ? err.message : String(err));
        }
        result.seconds += (performance.now() - t0) / 1000;
      }
    }
  }
  await Promise.all(pools.map((p) => p.close()));
  return out;
}

export interface StreamsResult {
  opened: number;
  completed: number;
  errors: number;
  errorExamples: string[];
  /** Longest silence between two chunks of any stream, ms. */
  maxGapMs: number;
  /** Time until all streams had their first chunk, ms (the slowest stream's wait for its first event). */
  allOpenMs: number;
  seconds: number;
  peakRssMB: number | null;
}

/**
 * `count` streams opened at once against a paced upstream: all must be open together, finish
 * with the whole text, and never go silent for long (a proxy that serializes or buffers stalls).
 */
export async function runOpenStreams(target: Target, count: number, sampleRss?: LoadOptions['sampleRss']): Promise<StreamsResult> {
  const pool = new Pool(target.origin, { connections: count, pipelining: 1 });
  const body = requestBody(target.model, true);
  const sampler = sampleRss?.();
  const start = performance.now();
  let firstChunks = 0;
  let allOpenAt = NaN;
  let maxGapMs = 0;
  let completed = 0;
  const errorExamples: string[] = [];
  const one = async () => {
    const res = await pool.request({ path: target.path, method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body, headersTimeout: 60_000, bodyTimeout: 60_000 });
    let last = NaN;
    let text = '';
    for await (const chunk of res.body) {
      const now = performance.now();
      if (Number.isNaN(last) && ++firstChunks === count) allOpenAt = now - start;
      else if (!Number.isNaN(last)) maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
      text += (chunk as Buffer).toString('utf8');
    }
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
    const content = text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => (JSON.parse(l.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '')
      .join('');
    if (content !== EXPECTED || !text.trimEnd().endsWith('data: [DONE]')) throw new Error(`incomplete stream: ${content.slice(0, 120)}`);
    completed++;
  };
  const results = await Promise.allSettled(Array.from({ length: count }, one));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const f of failures.slice(0, 3)) errorExamples.push(f.reason instanceof Error ? f.reason.message : String(f.reason));
  const seconds = (performance.now() - start) / 1000;
  const peakRssMB = sampler ? await sampler.stop() : null;
  await pool.close();
  return { opened: firstChunks, completed, errors: failures.length, errorExamples, maxGapMs, allOpenMs: allOpenAt, seconds, peakRssMB };
}
