// Polls an engine's readiness probes until *the model answers*: refused connections (loading
// before bind), 503 (llama-server loading) and bodies that say "not loaded yet" all mean "retry".
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExitInfo } from './engine-process.js';
import type { ReadinessProbe } from './launchers/types.js';

/**
 * One probe attempt: true when the engine answered 200 with the expected fields. `cancel` ends an
 * attempt in flight (a completion probe on a cold model may otherwise hold a stop for a minute).
 */
export async function probeOnce(baseUrl: string, probe: ReadinessProbe, timeoutMs: number, cancel?: AbortSignal): Promise<boolean> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(new URL(probe.path, baseUrl), {
      method: probe.method,
      headers: probe.body === undefined ? {} : { 'content-type': 'application/json' },
      body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
      signal: cancel ? AbortSignal.any([cancel, timeout]) : timeout,
    });
    const text = await res.text();
    if (res.status !== 200) return false;
    if (!probe.expectJson) return true;
    const body = JSON.parse(text) as Record<string, unknown>;
    return Object.entries(probe.expectJson).every(([k, v]) => body[k] === v);
  } catch {
    // Refused, reset, timed out or not JSON yet: all mean "not ready", the caller retries.
    return false;
  }
}

/** Base URL for probing an engine bound to `host` (a wildcard bind is reached on loopback). */
export function probeBaseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/**
 * Resolves when every probe passed once, in order. Polls fast at first (cold start latency is
 * the user's wait), then backs off to 500 ms. Rejects only when `signal` aborts.
 */
export async function waitReady(baseUrl: string, probes: readonly ReadinessProbe[], signal: AbortSignal): Promise<void> {
  let delay = 50;
  for (const probe of probes) {
    // A completion probe can take a while on a cold model; a health GET must be quick.
    const timeoutMs = probe.method === 'POST' ? 60_000 : 5_000;
    while (!(await probeOnce(baseUrl, probe, timeoutMs, signal))) {
      signal.throwIfAborted();
      // The timers' own abortable sleep removes its listener when it ends: one added per retry
      // and never removed piled up on a slow start (Node warned past ten).
      await sleep(delay, undefined, { signal }).catch(() => undefined);
      signal.throwIfAborted();
      delay = Math.min(500, delay * 2);
    }
  }
}

export type StartOutcome = { kind: 'ready' } | { kind: 'exit'; info: ExitInfo } | { kind: 'aborted'; why: 'cancelled' | 'timeout' };

/**
 * A start's wait: ready, the process exited (a crash, or exit 0 before the model answered), or
 * given up — the start timeout passed, or `cancel` aborted (a stop) — whichever comes first.
 */
export async function readyOrExit(baseUrl: string, probes: readonly ReadinessProbe[], exited: Promise<ExitInfo>, timeoutMs: number, cancel: AbortSignal): Promise<StartOutcome> {
  const probeAbort = new AbortController();
  const timer = setTimeout(() => probeAbort.abort(new Error('timeout')), timeoutMs);
  const onCancel = () => probeAbort.abort(new Error('cancelled'));
  // A stop may land between the spawn and this wait (the caller awaits other work in between):
  // an 'abort' listener added to an already aborted signal never fires, so check it first.
  if (cancel.aborted) onCancel();
  else cancel.addEventListener('abort', onCancel, { once: true });
  try {
    return await Promise.race([
      waitReady(baseUrl, probes, probeAbort.signal).then(
        (): StartOutcome => ({ kind: 'ready' }),
        (): StartOutcome => ({ kind: 'aborted', why: cancel.aborted ? 'cancelled' : 'timeout' }),
      ),
      exited.then((info): StartOutcome => ({ kind: 'exit', info })),
    ]);
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener('abort', onCancel);
    probeAbort.abort();
  }
}
