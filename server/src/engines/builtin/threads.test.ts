import { describe, expect, it } from 'vitest';
import { defaultThreads, resolveThreads } from './threads.js';

describe('threads', () => {
  it('uses every core on small machines, leaves one free on big ones', () => {
    expect([0, 1, 2, 4, 5, 16].map(defaultThreads)).toEqual([1, 1, 2, 4, 4, 15]);
    expect(defaultThreads(Number.NaN)).toBe(1);
  });

  it('lets --threads win', () => {
    expect(resolveThreads(7, 2)).toBe(7);
    expect(resolveThreads(undefined, 2)).toBe(2);
  });
});
