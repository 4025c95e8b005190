// The Markdown report of the gateway benchmark (pure: results in, text out).
import { added, summarize, type RunResult, type Summary } from './stats.js';
import type { StreamsResult } from './load.js';
import type { ProfileSummary } from './profile.js';

export type Via = 'direct' | 'bare' | 'ours' | 'portkey';

/** Every via in the order the tables list them. */
const VIAS: readonly Via[] = ['direct', 'bare', 'ours', 'portkey'];

export interface Cell {
  stream: boolean;
  connections: number;
  via: Via;
  run: RunResult;
}

/** A proxy's sequential run and direct's, taken in turns with it. */
export interface Pairing {
  stream: boolean;
  via: Via;
  run: RunResult;
  direct: RunResult;
}

export interface BenchResults {
  date: string;
  cores: number;
  node: string;
  /** 1-minute load average before and after the run (other work on the machine skews the figures). */
  loadAverage: { before: number; after: number };
  seconds: number;
  warmupSeconds: number;
  portkeyVersion: string;
  /** Why a gateway was not measured, if it was not. */
  skipped: Partial<Record<Via, string>>;
  cells: Cell[];
  /** Sequential requests, each proxy taking turns with direct alone, per mode (see runInterleaved). */
  interleaved: Pairing[];
  /** How those turns were taken. */
  turns: { sliceMs: number; settleMs: number; warmupSeconds: number };
  /** How many slices each load cell was measured in, and the unmeasured time before each. */
  loadSlices: { rounds: number; warmupSeconds: number };
  streams: Partial<Record<Via, StreamsResult>>;
  streamCount: number;
  paceMs: number;
  idleRssMB: Partial<Record<Via, { before: number; after: number }>>;
  /** Caveats of this run, printed under the introduction. */
  notes: string[];
  /** Where our server's CPU time went in an extra profiled cell. */
  profile?: ProfileSummary;
}

/** A stream stalls when some chunk waited this long although the upstream sends one every paceMs. */
export const STALL_MS = 1000;
export const TARGETS = { addedP99Ms: 1, rpsRatioAt16: 0.35, idleRssMB: 100 } as const;

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const mb = (v: number | null | undefined) => (v == null ? '—' : v.toFixed(0));
const VIA_NAME: Record<Via, string> = { direct: 'direct', bare: 'bare Node proxy (ceiling)', ours: '**MLX Manager**', portkey: 'Portkey' };

function find(r: BenchResults, stream: boolean, connections: number, via: Via, cells: Cell[] = r.cells): Summary | undefined {
  const cell = cells.find((c) => c.stream === stream && c.connections === connections && c.via === via);
  return cell && summarize(cell.run);
}

/** Added latency at 1 connection: from the proxy's turns with direct when there are some (same background load). */
function sequentialAdded(r: BenchResults, via: Via, stream: boolean): number | undefined {
  const pairing = r.interleaved.find((p) => p.stream === stream && p.via === via);
  if (pairing) return added(summarize(pairing.run), summarize(pairing.direct)).p99;
  const s = find(r, stream, 1, via);
  const d = find(r, stream, 1, 'direct');
  return s && d ? added(s, d).p99 : undefined;
}

function table(r: BenchResults, stream: boolean): string[] {
  const rows = ['| connections | via | req/s | p50 ms | p99 ms | TTFB p50 | TTFB p99 | added p50 | added p99 | req/s vs direct | errors | peak RSS MB |', '|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const connections of [...new Set(r.cells.map((c) => c.connections))]) {
    const direct = find(r, stream, connections, 'direct');
    for (const via of VIAS) {
      const s = find(r, stream, connections, via);
      if (!s) continue;
      const a = direct && via !== 'direct' ? added(s, direct) : undefined;
      rows.push(`| ${connections} | ${VIA_NAME[via]} | ${s.rps.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.ttfbP50)} | ${ms(s.ttfbP99)} | ${a ? ms(a.p50) : ''} | ${a ? ms(a.p99) : ''} | ${a ? `${a.rpsRatio.toFixed(2)}×` : ''} | ${s.errors} | ${mb(s.peakRssMB)} |`);
    }
  }
  return rows;
}

/** Stalled: a stream did not finish whole, waited too long for its first event, or went silent too long. */
const stalled = (s: StreamsResult, count: number) => s.completed < count || s.allOpenMs > STALL_MS || s.maxGapMs > STALL_MS;

/** The issue's targets, judged for one gateway. */
export function verdicts(r: BenchResults, via: Via): { label: string; value: string; ok: boolean }[] {
  const out: { label: string; value: string; ok: boolean }[] = [];
  const seq = sequentialAdded(r, via, false);
  if (seq !== undefined) out.push({ label: `added p99 latency, sequential (1 connection) < ${TARGETS.addedP99Ms} ms`, value: `${ms(seq)} ms`, ok: seq < TARGETS.addedP99Ms });
  for (const stream of [false, true]) {
    const s16 = find(r, stream, 16, via);
    const d16 = find(r, stream, 16, 'direct');
    if (s16 && d16) {
      const ratio = added(s16, d16).rpsRatio;
      out.push({ label: `req/s at 16 connections ≥ ${TARGETS.rpsRatioAt16}× direct (${stream ? 'streaming' : 'non-streaming'})`, value: `${ratio.toFixed(2)}×`, ok: ratio >= TARGETS.rpsRatioAt16 });
    }
  }
  const s100 = find(r, true, 100, via);
  if (s100) out.push({ label: 'zero errors at 100 concurrent streams', value: `${s100.errors} errors`, ok: s100.errors === 0 });
  const open = r.streams[via];
  if (open) {
    const direct = r.streams.direct;
    const context = direct && via !== 'direct' ? ` (direct: ${ms(direct.allOpenMs)} ms, ${ms(direct.maxGapMs)} ms)` : '';
    const value = `${open.completed}/${r.streamCount} complete, slowest first event ${ms(open.allOpenMs)} ms, max gap ${ms(open.maxGapMs)} ms${context}`;
    out.push({ label: `${r.streamCount} concurrent open streams, no stall (no wait over ${STALL_MS} ms)`, value, ok: !stalled(open, r.streamCount) });
  }
  const idle = r.idleRssMB[via];
  if (idle) out.push({ label: `idle RSS < ${TARGETS.idleRssMB} MB`, value: `${mb(idle.before)} MB (after the load: ${mb(idle.after)} MB)`, ok: idle.before < TARGETS.idleRssMB });
  return out;
}

export function renderReport(r: BenchResults): string {
  const lines = [
    '# Gateway benchmark',
    '',
    `Generated by \`bench/gateway/run.ts\` (\`npm run bench -- gateway\`) on ${r.date} (${r.cores} cores, Node ${r.node}), in one run.`,
    '',
    'The same fast fake OpenAI upstream (`server/test/fixtures/fake-upstreams`, in its own process on',
    'loopback, no pacing: it answers `you said: …` as soon as asked, streams one word per event) is',
    'called **direct**, through **MLX Manager** (the built server, `mlx-manager serve` in a fresh data',
    'folder with SQLite, log level `warn`; provider and exact route set through the management API)',
    `and through **Portkey**'s open-source gateway (\`@portkey-ai/gateway\` ${r.portkeyVersion}, its own CLI,`,
    '`--headless`; on Node 20 its streams need `bench/gateway/portkey-fetch-shim.mjs`, see there; its stream',
    'relay waits a fixed 25 ms before the first event, which shows in its streaming figures). The **bare Node',
    'proxy** (`bench/gateway/bare-proxy.ts`: node:http in, an undici pool out, no auth, routing, parsing or',
    'audit) is the ceiling: what any Node proxy pays on this machine at least.',
    `Load: undici, N connections each sending the next request when the previous answer is read, ${r.seconds} s per`,
    `cell after ${r.warmupSeconds} s of warm-up, measured in ${r.loadSlices.rounds} slices: direct and each proxy take turns, and each`,
    `slice starts after ${r.loadSlices.warmupSeconds} s of unmeasured requests (so what the previous target left running does`,
    'not count). Latency is to the end of the body; TTFB is to the headers (non-streaming)',
    'or the first event (streaming); "added" is the proxy\'s percentile minus direct\'s. Peak RSS is the',
    'proxy process, sampled every 100 ms. Everything (load generator, upstream, proxy) shares the machine;',
    `its 1-minute load average was ${r.loadAverage.before.toFixed(1)} before the run and ${r.loadAverage.after.toFixed(1)} after (other work skews the figures).`,
    '',
  ];
  for (const [via, why] of Object.entries(r.skipped)) lines.push(`> **Not measured: ${VIA_NAME[via as Via].replace(/\*/g, '')}.** ${why}`, '');
  for (const note of r.notes) lines.push(`> ${note}`, '');
  for (const via of ['ours', 'portkey'] as Via[]) {
    const v = verdicts(r, via);
    if (v.length === 0) continue;
    lines.push(`## Targets — ${VIA_NAME[via]}`, '', '| target | measured | met |', '|---|---|---|');
    for (const t of v) lines.push(`| ${t.label} | ${t.value} | ${t.ok ? '✓' : '✗'} |`);
    lines.push('');
  }
  if (r.interleaved.length) {
    lines.push(
      '## Sequential, taking turns with direct',
      '',
      `One connection per target. Each proxy takes turns with direct alone (${r.turns.sliceMs} ms of back-to-back requests each,`,
      `after ${r.turns.settleMs} ms unmeasured at each switch; ${r.turns.warmupSeconds} s of such turns first, unmeasured), so both see the same`,
      'background load and no other proxy runs meanwhile. "added" is the proxy\'s percentile minus direct\'s in the',
      'same turns. The sequential latency target is judged on this table.',
      '',
    );
    lines.push('| mode | via | requests | p50 ms | p99 ms | TTFB p50 | direct p50 | direct p99 | added p50 | added p99 | errors |', '|---|---|---|---|---|---|---|---|---|---|---|');
    for (const stream of [false, true]) {
      for (const via of VIAS) {
        const pairing = r.interleaved.find((p) => p.stream === stream && p.via === via);
        if (!pairing) continue;
        const s = summarize(pairing.run);
        const d = summarize(pairing.direct);
        const a = added(s, d);
        lines.push(`| ${stream ? 'streaming' : 'non-streaming'} | ${VIA_NAME[via]} | ${s.requests} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.ttfbP50)} | ${ms(d.p50)} | ${ms(d.p99)} | ${ms(a.p50)} | ${ms(a.p99)} | ${s.errors + d.errors} |`);
      }
    }
    lines.push('');
  }
  lines.push('## Non-streaming', '', ...table(r, false), '', '## Streaming', '', ...table(r, true), '');
  lines.push(`## ${r.streamCount} concurrent open streams`, '', `A second fake upstream paces its events ${r.paceMs} ms apart, so every stream stays open about a second (10 events);`, `all ${r.streamCount} are opened at once. A stall is a wait over ${STALL_MS} ms for a stream's first event or between two of its events, or a stream that did not finish with the whole text.`, '');
  lines.push('| via | first event on all | complete | errors | max gap ms | wall s | peak RSS MB |', '|---|---|---|---|---|---|---|');
  for (const via of VIAS) {
    const s = r.streams[via];
    if (s) lines.push(`| ${VIA_NAME[via]} | ${s.opened}/${r.streamCount} after ${ms(s.allOpenMs)} ms | ${s.completed} | ${s.errors} | ${ms(s.maxGapMs)} | ${s.seconds.toFixed(1)} | ${mb(s.peakRssMB)} |`);
  }
  lines.push('', '## Idle RSS', '', 'After start-up, configuration and a few requests (before the load), and again 3 s after all of it.', '', '| via | idle RSS MB | after the load MB |', '|---|---|---|');
  for (const via of ['ours', 'portkey'] as Via[]) {
    const i = r.idleRssMB[via];
    if (i) lines.push(`| ${VIA_NAME[via]} | ${mb(i.before)} | ${mb(i.after)} |`);
  }
  if (r.profile) {
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    lines.push('', "## Where MLX Manager's time goes", '', `V8 CPU profile of the server during one extra ${r.seconds} s cell (16 connections, non-streaming) run after`, `the measured ones (${r.profile.samples} samples; \`(idle)\` is time with nothing to run).`, '');
    lines.push('| function (self time) | share |', '|---|---|', ...r.profile.self.map((f) => `| \`${f.name}\` | ${pct(f.share)} |`), '');
    lines.push('| module on the stack (inclusive) | share |', '|---|---|', ...r.profile.modules.map((m) => `| \`${m.name}\` | ${pct(m.share)} |`));
  }
  const examples = [
    ...r.cells.filter((c) => c.run.errorExamples.length).map((c) => `- ${c.via}, ${c.stream ? 'streaming' : 'non-streaming'}, ${c.connections} connections: ${c.run.errorExamples.join(' | ')}`),
    ...(Object.entries(r.streams) as [Via, StreamsResult][]).filter(([, s]) => s.errorExamples.length).map(([via, s]) => `- ${via}, ${r.streamCount} streams: ${s.errorExamples.join(' | ')}`),
  ];
  if (examples.length) lines.push('', '## Error examples', '', ...examples.map((e) => e.replace(/\s+/g, ' ').slice(0, 600)));
  lines.push('');
  return lines.join('\n');
}
