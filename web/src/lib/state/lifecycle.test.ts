import { describe, expect, it, vi } from 'vitest';
import { refCounted, sharedInFlight } from './lifecycle.js';

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
