import { describe, expect, it, vi } from 'vitest';
import { refCounted, sharedFresh, sharedInFlight } from './lifecycle.js';

describe('refCounted', () => {
  it('sets up once for many users and tears down after the last', () => {
    const teardown = vi.fn();
    const setup = vi.fn(() => [teardown]);
    const use = refCounted(setup);
    const a = use();
    const b = use();
    expect(setup).toHaveBeenCalledTimes(1);
    a();
    a();
    expect(teardown).not.toHaveBeenCalled();
    b();
    expect(teardown).toHaveBeenCalledTimes(1);
    use()();
    expect(setup).toHaveBeenCalledTimes(2);
  });
});

describe('sharedInFlight', () => {
  it('shares one run between concurrent calls, then runs again', async () => {
    let calls = 0;
    const refresh = sharedInFlight(async () => {
      calls += 1;
      await Promise.resolve();
    });
    await Promise.all([refresh(), refresh(), refresh()]);
    expect(calls).toBe(1);
    await refresh();
    expect(calls).toBe(2);
  });
});

describe('sharedFresh', () => {
  it('answers a call made during a run with one more run, begun after it, shared by such calls', async () => {
    const begun: number[] = [];
    const releases: Array<() => void> = [];
    const refresh = sharedFresh(async () => {
      begun.push(begun.length + 1);
      await new Promise<void>((r) => releases.push(r));
    });
    let firstDone = false;
    let laterDone = false;
    const first = refresh().then(() => (firstDone = true));
    const later = Promise.all([refresh(), refresh()]).then(() => (laterDone = true));
    expect(begun).toEqual([1]);
    releases[0]?.();
    await first;
    await vi.waitFor(() => expect(begun).toEqual([1, 2]));
    expect(firstDone).toBe(true);
    expect(laterDone).toBe(false);
    releases[1]?.();
    await later;
    expect(begun).toEqual([1, 2]);
    // Idle again: one call, one run.
    const alone = refresh();
    expect(begun).toEqual([1, 2, 3]);
    releases[2]?.();
    await alone;
  });

  it('still runs the follow-up when the run in flight fails', async () => {
    let calls = 0;
    const refresh = sharedFresh(async () => {
      calls += 1;
      await Promise.resolve();
      if (calls === 1) throw new Error('offline');
    });
    const first = refresh().catch(() => 'failed');
    await refresh();
    expect(await first).toBe('failed');
    expect(calls).toBe(2);
  });
});
