import { describe, expect, it } from 'vitest';
import { createLoginThrottle, progressiveDelayMs, pruneWindow, retryAfterMs, type ThrottleLimits } from './login-throttle.js';

const LIMITS: ThrottleLimits = { windowMs: 60_000, freeFailuresPerPair: 2, baseDelayMs: 100, maxDelayMs: 1_000, globalMaxFailures: 50, maxRegistrationsPerAddress: 2 };

describe('login throttle', () => {
  it('window logic: prunes old entries and says how long to wait', () => {
    expect(pruneWindow([0, 50, 100], 120, 100)).toEqual([50, 100]);
    expect(retryAfterMs([10, 20], 30, 100, 3)).toBe(0);
    expect(retryAfterMs([10, 20, 30], 40, 100, 3)).toBe(70);
    expect(retryAfterMs([10, 20, 30], 111, 100, 3)).toBe(0);
  });

  it('delays grow by doubling after the free failures, up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((n) => progressiveDelayMs(n, LIMITS))).toEqual([0, 0, 100, 200, 400, 800, 1_000]);
  });

  it('slows one (account, address) pair down without touching the account from elsewhere or the address for others', () => {
    let now = 1_000;
    const t = createLoginThrottle(LIMITS, () => now);
    for (let i = 0; i < 3; i++) t.recordFailure('1.1.1.1', 'admin');
    expect(t.check('1.1.1.1', 'admin')).toBe(200);
    expect(t.check('2.2.2.2', 'admin')).toBe(0);
    expect(t.check('1.1.1.1', 'bob')).toBe(0);
    now += 200;
    expect(t.check('1.1.1.1', 'admin')).toBe(0);
  });

  it('a high global cap stops a distributed flood; a success clears the pair', () => {
    const t = createLoginThrottle(LIMITS, () => 0);
    t.recordFailure('ip', 'a');
    t.recordFailure('ip', 'a');
    t.recordFailure('ip', 'a');
    t.recordSuccess('ip', 'a');
    expect(t.check('ip', 'a')).toBe(0);
    for (let i = 0; i < 50; i++) t.recordFailure(`10.0.0.${i}`, `user${i}`);
    expect(t.check('192.168.1.1', 'admin')).toBe(60_000);
  });

  it('registrations: a few per address per window', () => {
    const t = createLoginThrottle(LIMITS, () => 0);
    expect([t.takeRegistration('a'), t.takeRegistration('a'), t.takeRegistration('a'), t.takeRegistration('b')]).toEqual([0, 0, 60_000, 0]);
  });
});
