import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiClientError } from '$lib/api/errors.js';

// The event stream, by hand: `emit` plays an event (or, with 'resync', a reconnection).
const reloads = new Map<string, () => void>();
vi.mock('./events.svelte.js', () => ({
  events: {
    refetchOn: (type: string, _schema: unknown, reload: () => void) => {
      reloads.set(type, reload);
      return () => reloads.delete(type);
    },
  },
}));
const emit = (type: string) => reloads.get(type)?.();

const { resource } = await import('./resource.svelte.js');

/** A fetcher whose answers the test gives by hand, one per request, in order. */
function manual<T>() {
  const requests: Array<{ signal: AbortSignal; resolve: (value: T) => void; reject: (error: unknown) => void }> = [];
  const fetch = (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      requests.push({ signal, resolve, reject });
    });
  return { fetch, requests };
}

describe('resource', () => {
  it('starts with the initial value, not loaded, and shows the value once it comes', async () => {
    const { fetch, requests } = manual<string[]>();
    const keys = resource(fetch, []);
    expect([keys.value, keys.loaded, keys.fetching, keys.error]).toEqual([[], false, false, undefined]);
    const done = keys.load();
    expect([keys.loaded, keys.fetching]).toEqual([false, true]);
    requests[0]?.resolve(['a']);
    await done;
    expect([keys.value, keys.loaded, keys.fetching, keys.error]).toEqual([['a'], true, false, undefined]);
  });

  it("words a failure with the API's message, keeps the last value, and clears the error on the next success", async () => {
    const { fetch, requests } = manual<string[]>();
    const keys = resource(fetch, []);
    const first = keys.load();
    requests[0]?.resolve(['a']);
    await first;
    const failed = keys.load();
    requests[1]?.reject(new ApiClientError(503, 'unavailable', 'The database is busy.'));
    await failed;
    expect([keys.value, keys.loaded, keys.fetching, keys.error]).toEqual([['a'], true, false, 'The database is busy.']);
    const retried = keys.load();
    expect(keys.error).toBe('The database is busy.'); // until the answer comes
    requests[2]?.resolve(['a', 'b']);
    await retried;
    expect([keys.value, keys.error]).toEqual([['a', 'b'], undefined]);
  });

  it('is loaded after a first load that failed (the page shows the error, not the spinner)', async () => {
    const { fetch, requests } = manual<string[]>();
    const keys = resource(fetch, []);
    const done = keys.load();
    requests[0]?.reject(new Error('offline'));
    await done;
    expect([keys.value, keys.loaded, keys.error]).toEqual([[], true, 'offline']);
  });

  it('uses the page’s own wording of an error when given one', async () => {
    const { fetch, requests } = manual<number>();
    const detail = resource(fetch, 0, (error) => ({ text: `hub: ${String(error)}`, retry: false }));
    const done = detail.load();
    requests[0]?.reject('gated');
    await done;
    expect(detail.error).toEqual({ text: 'hub: gated', retry: false });
  });

  it('shares one more request among the calls made while one is out, so the answer is fresh', async () => {
    const { fetch, requests } = manual<number>();
    const count = resource(fetch, 0);
    const first = count.load();
    const second = count.load();
    const third = count.load();
    expect(second).toBe(third);
    expect(requests).toHaveLength(1);
    requests[0]?.resolve(1);
    await first;
    expect(count.value).toBe(1);
    await Promise.resolve(); // the follow-up starts once the first answer is in
    expect(requests).toHaveLength(2);
    expect(count.fetching).toBe(true);
    requests[1]?.resolve(2);
    await second;
    expect([count.value, count.fetching]).toEqual([2, false]);
    expect(requests).toHaveLength(2);
  });

  it('is reactive: what a page renders follows loads and its own replacements of the value', async () => {
    const { fetch, requests } = manual<string[]>();
    const keys = resource(fetch, []);
    const seen: string[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(`${keys.loaded ? 'loaded' : 'loading'}:${keys.value.join(',')}`);
      });
    });
    flushSync();
    const done = keys.load();
    requests[0]?.resolve(['a']);
    await done;
    flushSync();
    keys.value = ['a', 'saved']; // a save answered with the new list
    flushSync();
    stop();
    expect(seen).toEqual(['loading:', 'loaded:a', 'loaded:a,saved']);
  });

  it('reset aborts the request out, drops its answer and its follow-up, and starts over from the initial value', async () => {
    const { fetch, requests } = manual<string | undefined>();
    const detail = resource(fetch, undefined);
    const first = detail.load();
    requests[0]?.resolve('org/one');
    await first;
    const stale = detail.load();
    const staleFollowUp = detail.load();
    detail.reset();
    expect(requests[1]?.signal.aborted).toBe(true);
    expect([detail.value, detail.loaded, detail.fetching, detail.error]).toEqual([undefined, false, false, undefined]);
    const fresh = detail.load();
    requests[1]?.resolve('org/one, late');
    await Promise.all([stale, staleFollowUp]);
    expect(requests).toHaveLength(3); // the abandoned follow-up never ran
    expect([detail.value, detail.loaded, detail.fetching]).toEqual([undefined, false, true]);
    requests[2]?.resolve('org/two');
    await fresh;
    expect([detail.value, detail.loaded, detail.fetching]).toEqual(['org/two', true, false]);
  });

  it('drops a failure that comes after a reset', async () => {
    const { fetch, requests } = manual<string>();
    const detail = resource(fetch, '');
    const stale = detail.load();
    detail.reset();
    requests[0]?.reject(new Error('aborted'));
    await stale;
    expect([detail.error, detail.loaded]).toEqual([undefined, false]);
  });

  it('follows an event type: loads now and again on each event, until stopped', async () => {
    const { fetch, requests } = manual<number>();
    const count = resource(fetch, 0);
    const stop = count.follow('keys.changed', z.object({ type: z.literal('keys.changed') }));
    expect(requests).toHaveLength(1);
    requests[0]?.resolve(1);
    await vi.waitFor(() => expect(count.value).toBe(1));
    emit('keys.changed');
    expect(requests).toHaveLength(2);
    requests[1]?.resolve(2);
    await vi.waitFor(() => expect(count.value).toBe(2));
    stop();
    emit('keys.changed');
    expect(requests).toHaveLength(2);
  });
});
