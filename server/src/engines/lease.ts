// What the gateway holds while it talks to a local engine, and how a caller waits for one: a
// waiter settles exactly once — granted inside the profile's queue, or given up (client gone,
// wait timeout) — so a caller that left can never leave an in-flight count behind.

/** A granted request slot on a ready engine. Built inside the profile's queue. */
export interface Lease {
  profileId: string;
  /** Where the engine answers, e.g. `http://127.0.0.1:8081` (a wildcard bind is reached on loopback). */
  baseUrl: string;
  /** The `model` string to send this engine (see each launcher's upstreamModel). */
  upstreamModel: string;
  /** Ends the request: in-flight count down, last use now. Idempotent. */
  release(): void;
}

export type AcquireFailure = 'queue_full' | 'timeout' | 'aborted';

export class AcquireError extends Error {
  constructor(
    message: string,
    readonly reason: AcquireFailure,
  ) {
    super(message);
    this.name = 'AcquireError';
  }
}

export class LeaseWaiter {
  private state: 'waiting' | 'granted' | 'gave_up' = 'waiting';
  private giveUp: (err: AcquireError) => void = () => undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.abandon(new AcquireError('the client went away while waiting for the engine', 'aborted'));
  /** Rejects when the caller gives up; never resolves. */
  readonly gaveUp: Promise<never>;

  constructor(
    private readonly signal: AbortSignal | undefined,
    timeoutMs: number,
  ) {
    this.gaveUp = new Promise<never>((_, reject) => (this.giveUp = reject));
    this.gaveUp.catch(() => undefined); // observed through race(); never an unhandled rejection
    this.timer = setTimeout(() => this.abandon(new AcquireError(`no engine slot within ${Math.round(timeoutMs / 1000)} s`, 'timeout')), timeoutMs);
    this.timer.unref();
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The caller's side: `promise`, unless the caller gives up first. */
  race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.gaveUp]);
  }

  /** The queue's side: true exactly once, and only while the caller still waits. */
  claim(): boolean {
    if (this.state !== 'waiting') return false;
    this.state = 'granted';
    this.dispose();
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private abandon(err: AcquireError): void {
    if (this.state !== 'waiting') return;
    this.state = 'gave_up';
    this.dispose();
    this.giveUp(err);
  }
}
