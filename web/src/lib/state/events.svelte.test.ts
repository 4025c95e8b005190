import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

/** A stand-in for the browser's EventSource that the test drives by hand. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  #listeners = new Map<string, Array<(e: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  fail(): void {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
  send(type: string, data: string): void {
    for (const fn of this.#listeners.get(type) ?? []) fn(new MessageEvent(type, { data }));
  }
}

describe('event stream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.resetModules();
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('delivers frames that match the schema and ignores the rest', async () => {
    const { events } = await import('./events.svelte.js');
    const seen: number[] = [];
    const off = events.on('tick', z.object({ n: z.number() }), (e) => seen.push(e.n));
    const source = FakeEventSource.instances[0];
    expect(source?.url).toBe('/api/events');
    source?.open();
    source?.send('tick', '{"n":1}');
    source?.send('tick', '{"n":"x"}');
    source?.send('tick', 'not json');
    source?.send('other', '{"n":2}');
    expect(seen).toEqual([1]);
    off();
  });

  it('reconnects with backoff after the browser gives up, then asks stores to resync', async () => {
    const { events } = await import('./events.svelte.js');
    const resync = vi.fn();
    events.onResync(resync);
    const off = events.on('tick', z.object({}), () => undefined);
    FakeEventSource.instances[0]?.open();
    expect(resync).not.toHaveBeenCalled();
    FakeEventSource.instances[0]?.fail();
    expect(events.status).toBe('retrying');
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(2);
    FakeEventSource.instances[1]?.fail();
    vi.advanceTimersByTime(1999);
    expect(FakeEventSource.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    FakeEventSource.instances[2]?.open();
    expect(events.status).toBe('open');
    expect(resync).toHaveBeenCalledTimes(1);
    off();
  });

  it('closes the connection a while after the last subscriber leaves', async () => {
    const { events } = await import('./events.svelte.js');
    const off = events.on('tick', z.object({}), () => undefined);
    const source = FakeEventSource.instances[0];
    source?.open();
    off();
    vi.advanceTimersByTime(4_000);
    const again = events.on('tick', z.object({}), () => undefined);
    expect(FakeEventSource.instances).toHaveLength(1); // reused within the grace period
    again();
    vi.advanceTimersByTime(5_000);
    expect(source?.readyState).toBe(FakeEventSource.CLOSED);
    expect(events.status).toBe('idle');
  });
});
