import type { z } from 'zod';
import { backoffDelay } from './backoff.js';

type Handler = (data: unknown) => void;
export type StreamStatus = 'idle' | 'connecting' | 'open' | 'retrying';

/** Lingering before closing an unused stream, so navigating between pages keeps one connection. */
const IDLE_CLOSE_MS = 5_000;

/**
 * The app's one connection to `GET /api/events`. EventSource sends the session cookie, so the
 * stream is authenticated like every other call. Stores subscribe per event type with the
 * contract schema of that event; frames that do not match are ignored (an older or newer server
 * may send more). The browser's own retry covers dropped connections; when it gives up (an HTTP
 * error, the server restarting) we reconnect with backoff and tell stores to resync, because
 * events sent while disconnected are lost.
 */
class EventStream {
  status = $state<StreamStatus>('idle');
  #source: EventSource | undefined;
  #handlers = new Map<string, Set<Handler>>();
  #listening = new Set<string>();
  #resync = new Set<() => void>();
  #subscribers = 0;
  #attempt = 0;
  #everOpened = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;

  /** Calls `handler` with every event of `type` whose data matches `schema`; returns the unsubscribe. */
  on<T>(type: string, schema: z.ZodType<T>, handler: (event: T) => void): () => void {
    const wrapped: Handler = (data) => {
      const parsed = schema.safeParse(data);
      if (parsed.success) handler(parsed.data);
    };
    let set = this.#handlers.get(type);
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a handler registry, never rendered
    if (!set) this.#handlers.set(type, (set = new Set()));
    set.add(wrapped);
    this.#listen(type);
    this.#retain();
    return () => {
      set.delete(wrapped);
      this.#release();
    };
  }

  /** Calls `fn` after every reconnection (not the first connection): refetch what may be stale. */
  onResync(fn: () => void): () => void {
    this.#resync.add(fn);
    return () => this.#resync.delete(fn);
  }

  /**
   * Calls `reload` on every event of `type` and after every reconnection (events sent while
   * disconnected are lost): the usual way a list stays fresh. Returns the unsubscribe.
   */
  refetchOn<T>(type: string, schema: z.ZodType<T>, reload: () => void): () => void {
    const stopEvents = this.on(type, schema, () => reload());
    const stopResync = this.onResync(reload);
    return () => {
      stopEvents();
      stopResync();
    };
  }

  #retain(): void {
    this.#subscribers += 1;
    clearTimeout(this.#closeTimer);
    if (!this.#source && this.#retryTimer === undefined) this.#connect();
  }

  #release(): void {
    this.#subscribers -= 1;
    if (this.#subscribers > 0) return;
    clearTimeout(this.#closeTimer);
    this.#closeTimer = setTimeout(() => {
      if (this.#subscribers === 0) this.#disconnect();
    }, IDLE_CLOSE_MS);
  }

  #listen(type: string): void {
    if (this.#listening.has(type)) return;
    this.#listening.add(type);
    this.#source?.addEventListener(type, this.#dispatch);
  }

  #dispatch = (event: MessageEvent<string>): void => {
    const handlers = this.#handlers.get(event.type);
    if (!handlers || handlers.size === 0) return;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return; // not JSON: not one of ours
    }
    for (const handler of handlers) handler(data);
  };

  #connect(): void {
    this.#retryTimer = undefined;
    this.status = this.#everOpened ? 'retrying' : 'connecting';
    const source = new EventSource('/api/events', { withCredentials: true });
    this.#source = source;
    for (const type of this.#listening) source.addEventListener(type, this.#dispatch);
    source.onopen = () => {
      this.status = 'open';
      this.#attempt = 0;
      if (this.#everOpened) for (const fn of this.#resync) fn();
      this.#everOpened = true;
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        this.status = 'retrying'; // the browser retries by itself
        return;
      }
      // CLOSED: the browser gave up (HTTP error or wrong content type): retry ourselves.
      source.close();
      if (this.#source === source) this.#source = undefined;
      this.status = 'retrying';
      const delay = backoffDelay(this.#attempt);
      this.#attempt += 1;
      this.#retryTimer = setTimeout(() => this.#connect(), delay);
    };
  }

  #disconnect(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#source?.close();
    this.#source = undefined;
    this.status = 'idle';
  }
}

export const events = new EventStream();
