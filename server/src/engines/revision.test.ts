import { describe, expect, it } from 'vitest';
import { nextRevision } from './revision.js';

describe('nextRevision', () => {
  it('grows on every call, even many within one clock tick', () => {
    const now = Date.now();
    const a = nextRevision(now);
    const b = nextRevision(now);
    const c = nextRevision(now);
    expect(b).toBe(a + 1);
    expect(c).toBe(b + 1);
  });

  it('never falls behind the clock in microseconds (a later process starts above) nor goes back with it', () => {
    const now = Date.now() + 60_000;
    const ahead = nextRevision(now);
    expect(ahead).toBeGreaterThanOrEqual(now * 1000);
    expect(nextRevision(now - 30_000)).toBe(ahead + 1);
    expect(Number.isSafeInteger(ahead)).toBe(true);
  });
});
