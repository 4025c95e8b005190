import { describe, expect, it } from 'vitest';
import { createLoginThrottle, pruneWindow, retryAfterMs } from './login-throttle.js';

describe('login throttle', () => {
  it('window logic: prunes old failures and says how long to wait', () => {
    expect(pruneWindow([0, 50, 100], 120, 100)).toEqual([50, 100]);
    expect(retryAfterMs([10, 20], 30, 100, 3)).toBe(0);
    expect(retryAfterMs([10, 20, 30], 40, 100, 3)).toBe(70);
    expect(retryAfterMs([10, 20, 30], 111, 100, 3)).toBe(0);
  });

  it('locks an account after N failures, per account and per address, and unlocks when the window passes', () => {
    let now = 1_000;
    const t = createLoginThrottle({ windowMs: 1_000, maxFailuresPerAccount: 3, maxFailuresPerAddress: 5 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(t.check('1.1.1.1', 'a')).toBe(0);
      t.recordFailure('1.1.1.1', 'a');
    }
    expect(t.check('1.1.1.1', 'a')).toBe(1_000);
    expect(t.check('2.2.2.2', 'a')).toBe(1_000); // the account is locked from everywhere
    expect(t.check('1.1.1.1', 'b')).toBe(0); // the address is not yet
    t.recordFailure('1.1.1.1', 'b');
    t.recordFailure('1.1.1.1', 'c');
    expect(t.check('1.1.1.1', 'd')).toBeGreaterThan(0); // 5 failures from one address
    now += 1_000;
    expect(t.check('1.1.1.1', 'a')).toBe(0);
  });

  it('a success clears the account’s failures', () => {
    const t = createLoginThrottle({ windowMs: 1_000, maxFailuresPerAccount: 2, maxFailuresPerAddress: 100 }, () => 0);
    t.recordFailure('ip', 'a');
    t.recordSuccess('a');
    t.recordFailure('ip', 'a');
    expect(t.check('ip', 'a')).toBe(0);
  });
});
