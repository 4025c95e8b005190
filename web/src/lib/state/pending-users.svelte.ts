import { UsersChangedEvent } from '@mlx-manager/contract';
import { api } from '$lib/api/index.js';
import { events } from './events.svelte.js';

/**
 * The number of users waiting for approval, for the admin's nav pill. Pushed by the server as
 * `users.changed` on the one event stream (a registration shows up at once, no polling);
 * fetched once on start and again after a reconnection, when events may have been missed.
 */
class PendingUsers {
  count = $state(0);
  #inFlight: Promise<void> | undefined;
  /** `users.changed` events seen so far. */
  #events = 0;

  /**
   * Concurrent refreshes share one request. An event that arrives while the request is out wins
   * over its answer, which may have been counted before that event's change (and no later event
   * would correct it); a change after the event sends its own event.
   */
  refresh(): Promise<void> {
    const eventsBefore = this.#events;
    this.#inFlight ??= api.users
      .pendingCount()
      .then((count) => {
        if (this.#events === eventsBefore) this.count = count;
      })
      .catch(() => {
        // The pill is a hint: keep the last count; a 401 already sent the user to /login.
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  /** Starts following the count (admins only); returns the function that stops it. */
  start(): () => void {
    const stopEvents = events.on('users.changed', UsersChangedEvent, (event) => {
      this.#events += 1;
      this.count = event.pending_count;
    });
    const stopResync = events.onResync(() => void this.refresh());
    void this.refresh();
    return () => {
      stopEvents();
      stopResync();
      this.count = 0;
    };
  }
}

export const pendingUsers = new PendingUsers();
