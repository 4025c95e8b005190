import type { z } from 'zod';
import { messageOf } from '$lib/api/errors.js';
import { events } from './events.svelte.js';

/** Fetches the value; the signal aborts when the page resets the resource (the question changed). */
export type Fetcher<T> = (signal: AbortSignal) => Promise<T>;

/**
 * One thing a page fetches and shows: its value, whether the first answer came, whether a
 * request is out, and why the last one failed. A failed reload keeps the last value (the page
 * shows the error beside or instead of it, as it likes).
 */
export class Resource<T, E = string> {
  /** The last value fetched, the initial one before; pages may replace it (a save's answer, a live event). */
  value: T;
  /** The first load answered, with a value or an error: until then pages show their spinner. */
  loaded = $state(false);
  /** A request is out. */
  fetching = $state(false);
  /** Why the last load failed, as the page words it; a successful load clears it. */
  error = $state.raw<E | undefined>();

  readonly #fetch: Fetcher<T>;
  readonly #initial: T;
  readonly #describe: (error: unknown) => E;
  #inFlight: Promise<void> | undefined;
  #again: Promise<void> | undefined;
  #abort: AbortController | undefined;

  constructor(fetch: Fetcher<T>, initial: T, describe: (error: unknown) => E) {
    this.value = $state.raw(initial);
    this.#fetch = fetch;
    this.#initial = initial;
    this.#describe = describe;
  }

  /**
   * Fetches the value; never rejects (a failure lands in `error`). Calls made while a request is
   * out share one more request after it: the one out may predate what made them ask (their own
   * save, the event of a change), so only an answer that starts later is fresh. A burst of
   * events therefore makes at most two requests. An arrow, so a page can pass it as it is
   * (`onclick={keys.load}`).
   */
  readonly load = (): Promise<void> => {
    if (this.#again) return this.#again;
    const current = this.#inFlight;
    if (!current) return this.#start();
    const abort = this.#abort;
    this.#again = current.then(() => {
      if (abort?.signal.aborted) return; // reset meanwhile: that question is gone
      this.#again = undefined;
      return this.#start();
    });
    return this.#again;
  };

  /**
   * Loads now, then again on every event of `type` and after a reconnection of the event
   * stream (events sent meanwhile are lost). Returns the stop, so `onMount(() => x.follow(…))`.
   */
  follow<V>(type: string, schema: z.ZodType<V>): () => void {
    void this.load();
    return events.refetchOn(type, schema, () => void this.load());
  }

  /** Back to the initial value, not loaded; the request out is aborted and its answer dropped. */
  reset(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.#inFlight = undefined;
    this.#again = undefined;
    this.value = this.#initial;
    this.error = undefined;
    this.loaded = false;
    this.fetching = false;
  }

  #start(): Promise<void> {
    const run = this.#fetchOnce().finally(() => {
      if (this.#inFlight === run) this.#inFlight = undefined;
    });
    this.#inFlight = run;
    return run;
  }

  async #fetchOnce(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    this.fetching = true;
    try {
      const value = await this.#fetch(abort.signal);
      if (abort.signal.aborted) return;
      this.value = value;
      this.error = undefined;
    } catch (error) {
      if (abort.signal.aborted) return;
      this.error = this.#describe(error);
    } finally {
      if (!abort.signal.aborted) {
        this.loaded = true;
        this.fetching = false;
      }
    }
  }
}

/** A resource whose error is the API's message (`messageOf`), unless `describe` words it otherwise. */
export function resource<T>(fetch: Fetcher<T>, initial: T): Resource<T>;
export function resource<T, E>(fetch: Fetcher<T>, initial: T, describe: (error: unknown) => E): Resource<T, E>;
export function resource<T, E>(fetch: Fetcher<T>, initial: T, describe?: (error: unknown) => E): Resource<T, E | string> {
  return new Resource<T, E | string>(fetch, initial, describe ?? messageOf);
}
