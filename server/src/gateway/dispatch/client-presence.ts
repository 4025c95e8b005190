/**
 * Whether the client of one `/v1` request is still there, and what to stop when it leaves: the
 * upstream call in progress, and (made only when asked for) an AbortSignal for the APIs that take
 * one, such as acquiring a local model. Lighter than an AbortController per request, which every
 * request would otherwise pay for although most clients stay to the end.
 */
export class ClientPresence {
  private left = false;
  private onLeave: (() => void) | null = null;
  private controller: AbortController | null = null;

  /** True once the client went away before its answer ended. */
  get gone(): boolean {
    return this.left;
  }

  /** The client went away: stops what is watching, once. */
  leave(): void {
    if (this.left) return;
    this.left = true;
    const stop = this.onLeave;
    this.onLeave = null;
    stop?.();
    this.controller?.abort();
  }

  /** The one thing to stop when the client leaves (the current upstream call). */
  watch(stop: () => void): void {
    this.onLeave = stop;
  }

  /** Forgets `stop` if it is still the one watched (a later call may have taken its place). */
  unwatch(stop: () => void): void {
    if (this.onLeave === stop) this.onLeave = null;
  }

  /** Aborted when the client leaves (made on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.left) this.controller.abort();
    }
    return this.controller.signal;
  }
}
