/*
 * When the gateway tries the next target. Failover is only safe while the client has received no
 * event: once content has gone out, a second backend would repeat or contradict it. Pure.
 */

/** What happened to one attempt. */
export type AttemptOutcome =
  | { kind: 'connect-error' }
  | { kind: 'timeout'; phase: 'connect' | 'first-token' | 'idle' | 'total' }
  | { kind: 'status'; status: number }
  | { kind: 'unavailable' } // a local model could not be acquired (queue full, start failed, timeout)
  | { kind: 'mid-stream-error' };

/** A status the next target may do better with: overload, rate limit or a server fault. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Whether to try the next target. `clientSawContent` is true once any event (not a heartbeat
 * comment) reached the client; `hasNext` whether a fallback remains.
 */
export function shouldFailover(outcome: AttemptOutcome, clientSawContent: boolean, hasNext: boolean): boolean {
  if (!hasNext || clientSawContent) return false;
  switch (outcome.kind) {
    // A body that broke before anything was relayed (a buffered answer) is as good as a 5xx.
    case 'connect-error':
    case 'timeout':
    case 'unavailable':
    case 'mid-stream-error':
      return true;
    case 'status':
      return isRetryableStatus(outcome.status);
  }
}

/** Pure: the status the client gets when every target failed before sending anything. */
export function finalStatus(outcome: AttemptOutcome): number {
  switch (outcome.kind) {
    case 'connect-error':
      return 502;
    case 'timeout':
      return 504;
    case 'unavailable':
      return 503;
    case 'status':
      return outcome.status;
    case 'mid-stream-error':
      return 502;
  }
}
