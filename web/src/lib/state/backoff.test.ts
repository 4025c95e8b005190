import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(10)).toBe(30_000);
    expect(backoffDelay(1e9)).toBe(30_000);
    expect(backoffDelay(-1)).toBe(1000);
  });
});
