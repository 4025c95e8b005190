import { api } from '$lib/api/index.js';

const POLL_MS = 30_000;

/**
 * The number of users waiting for approval, for the admin's nav pill. Polled every 30 s
 * while the tab is visible (no polling in a hidden tab), refreshed at once on demand.
 */
class PendingUsers {
  count = $state(0);
  #timer: ReturnType<typeof setInterval> | undefined;
  #inFlight: Promise<void> | undefined;

  /** Concurrent refreshes share one request. */
  refresh(): Promise<void> {
    this.#inFlight ??= api.users
      .pendingCount()
      .then((count) => {
        this.count = count;
      })
      .catch(() => {
        // The pill is a hint: keep the last count; a 401 already sent the user to /login.
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** Starts polling; returns the function that stops it. */
  start(): () => void {
    const onVisibility = () => {
      this.#clearTimer();
      if (document.visibilityState === 'visible') {
        void this.refresh();
        this.#timer = setInterval(() => void this.refresh(), POLL_MS);
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    onVisibility();
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      this.#clearTimer();
      this.count = 0;
    };
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

export const pendingUsers = new PendingUsers();
