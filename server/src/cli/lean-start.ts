import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';

/*
 * V8 settings that keep `serve` small while it starts and while it idles (docs/memory.md has the
 * measurements). Each is skipped when the operator set the same V8 option themselves.
 *
 * - Young generation held at its initial 1 MB semi-spaces until the server has real load. V8 doubles it
 *   (up to 16 MB per semi-space, never shrinking back) whenever as many bytes survived scavenges
 *   as it holds; loading ~1200 modules is one long burst of survivors, so an idle server used to
 *   keep ~30 MB of young generation. Once the load warrants it, it grows to V8's full size at
 *   its next growth.
 * - No optimising compiler (TurboFan) while starting: start-up code runs once, so optimising it
 *   only costs CPU and compiler memory that the C allocator keeps afterwards. It is back on before
 *   the first request.
 * - WebAssembly stays on its baseline compiler (Liftoff): the only module is undici's HTTP parser
 *   (llhttp), whose optimised tier left ~10 MB in a compiler thread's allocator arena, for a
 *   difference in CPU per request within a micro-benchmark's noise.
 */

/**
 * Growth factor once busy: one step from the initial 1 MB semi-spaces to V8's maximum (16 MB on a
 * 64-bit machine; V8 caps it), instead of V8's default doubling, which under load took many
 * seconds of survivors to get there while each scavenge came every hundred or so requests.
 */
const GROWTH_FACTOR_WHEN_BUSY = 16;

/** The V8 options (either spelling, `-` or `_`) by which an operator takes over each setting. */
export const OPERATOR_OPTIONS = {
  youngGeneration: /^--((max|min)[-_])?semi[-_]space/,
  optimiser: /^--(no[-_])?(opt|turbofan|max[-_]opt)\b/,
  wasmTiers: /^--(no[-_])?(liftoff|wasm[-_]tier|wasm[-_]dynamic)/,
} as const;

let youngGenerationHeld = false;
let optimiserHeld = false;

/** True when a V8 option matching `pattern` is on the command line or in NODE_OPTIONS. */
export function setByOperator(pattern: RegExp, execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => pattern.test(arg));
}

const operatorSet = (pattern: RegExp): boolean => setByOperator(pattern, process.execArgv, process.env.NODE_OPTIONS);

/** Call before any other module loads (the CLI's first line). */
export function leanStart(): void {
  if (!youngGenerationHeld && !operatorSet(OPERATOR_OPTIONS.youngGeneration)) {
    setFlagsFromString('--semi-space-growth-factor=1');
    youngGenerationHeld = true;
  }
  if (!optimiserHeld && !operatorSet(OPERATOR_OPTIONS.optimiser)) {
    setFlagsFromString('--no-opt');
    optimiserHeld = true;
  }
  if (!operatorSet(OPERATOR_OPTIONS.wasmTiers)) {
    // Both: with only the first, dynamic tiering still optimised llhttp's large parse function.
    setFlagsFromString('--no-wasm-tier-up');
    setFlagsFromString('--no-wasm-dynamic-tiering');
  }
}

export interface BusyOptions {
  /** How often the event loop's utilisation is read (ms). */
  windowMs?: number;
  /** A window at least this busy (share of its time) ends the hold at once: a heavy load. */
  busyShare?: number;
  /** …or this many windows in a row, each at least `steadyShare` busy: a steady, lighter load. */
  steadyWindows?: number;
  steadyShare?: number;
}

const DEFAULT_BUSY = { windowMs: 1000, busyShare: 0.5, steadyWindows: 4, steadyShare: 0.03 } as const;

/**
 * Pure: whether the event loop's recent utilisation (one share per window, oldest first) is load
 * worth V8's full young generation. A lone burst (a few dozen requests, a configuration session)
 * is neither busy enough nor long enough; a chat streaming its tokens stays far below the steady
 * share.
 */
export function loadWarrantsGrowth(utilisations: readonly number[], options: Omit<BusyOptions, 'windowMs'> = {}): boolean {
  const { busyShare, steadyWindows, steadyShare } = { ...DEFAULT_BUSY, ...options };
  const latest = utilisations.at(-1);
  if (latest !== undefined && latest >= busyShare) return true;
  const recent = utilisations.slice(-steadyWindows);
  return recent.length === steadyWindows && recent.every((share) => share >= steadyShare);
}

/**
 * Call once the server listens: the optimising compiler comes back now; the young generation's
 * growth comes back once the event loop's load warrants it (`loadWarrantsGrowth`), so a server
 * under load gets V8's usual young generation and an idle or lightly used one keeps the small one.
 * Returns a function that stops watching (the timer never keeps the process alive).
 */
export function leanServing(options: BusyOptions = {}): () => void {
  if (optimiserHeld) {
    setFlagsFromString('--opt');
    optimiserHeld = false;
  }
  if (!youngGenerationHeld) return () => undefined;
  const { windowMs, steadyWindows } = { ...DEFAULT_BUSY, ...options };
  const utilisations: number[] = [];
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    utilisations.push(performance.eventLoopUtilization(now, last).utilization);
    if (utilisations.length > steadyWindows) utilisations.shift();
    last = now;
    if (loadWarrantsGrowth(utilisations, options)) {
      setFlagsFromString(`--semi-space-growth-factor=${GROWTH_FACTOR_WHEN_BUSY}`);
      youngGenerationHeld = false;
      clearInterval(timer);
    }
  }, windowMs);
  timer.unref();
  return () => clearInterval(timer);
}
