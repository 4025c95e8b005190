import { describe, expect, it } from 'vitest';
import { cachedValue } from './cached-value.js';

describe('cachedValue', () => {
  it('shares one load between readers, reloads after invalidate or the TTL, and forgets failures', async () => {
    let clock = 0;
    let loads = 0;
    let fail = false;
    const v = cachedValue(async () => {
      loads++;
      if (fail) throw new Error('db down');
      return loads;
    }, 100, () => clock);
    expect(await Promise.all([v.get(), v.get()])).toEqual([1, 1]);
    clock = 99;
    expect(await v.get()).toBe(1);
    clock = 100;
    expect(await v.get()).toBe(2);
    v.invalidate();
    expect(await v.get()).toBe(3);
    v.invalidate();
    fail = true;
    await expect(v.get()).rejects.toThrow('db down');
    fail = false;
    expect(await v.get()).toBe(5);
  });
});

describe('cachedValue.peek', () => {
  it('gives the loaded value only while get() would give it without loading', async () => {
    let clock = 0;
    let loads = 0;
    let release: () => void = () => undefined;
    const v = cachedValue(
      () =>
        new Promise<number>((resolve) => {
          loads++;
          release = () => resolve(loads);
        }),
      100,
      () => clock,
    );
    expect(v.peek()).toBeUndefined(); // nothing loaded
    const pending = v.get();
    expect(v.peek()).toBeUndefined(); // still loading
    release();
    expect(await pending).toBe(1);
    expect(v.peek()).toBe(1);
    clock = 100;
    expect(v.peek()).toBeUndefined(); // stale: the next get() loads again
    clock = 0;
    expect(v.peek()).toBe(1);
    v.invalidate();
    expect(v.peek()).toBeUndefined();
    const next = v.get();
    release();
    expect(await next).toBe(2);
    expect(v.peek()).toBe(2);
    expect(loads).toBe(2);
  });
});
