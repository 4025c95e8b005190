import { describe, expect, it } from 'vitest';
import { finalStatus, isRetryableStatus, shouldFailover, type AttemptOutcome } from './failover.js';
import { CLOUD_TIMEOUTS, LOCAL_TIMEOUTS, timeoutsFor } from './timeouts.js';

describe('timeoutsFor', () => {
  it.each([
    ['local', {}, LOCAL_TIMEOUTS],
    ['provider', {}, CLOUD_TIMEOUTS],
    ['provider', { firstTokenMs: 5 }, { ...CLOUD_TIMEOUTS, firstTokenMs: 5 }],
    ['local', { idleMs: 0, totalMs: -1, connectMs: Number.NaN }, LOCAL_TIMEOUTS],
  ] as const)('%s with %j', (kind, overrides, expected) => {
    expect(timeoutsFor(kind, overrides)).toEqual(expected);
  });

  it.each([
    ['local', {}, LOCAL_TIMEOUTS.totalMs],
    ['provider', {}, CLOUD_TIMEOUTS.totalMs],
    ['provider', { totalMs: 9000 }, 9000],
    ['provider', { firstTokenMs: 700 }, 700],
  ] as const)('a whole %s answer with %j may take until %i ms for its first byte', (kind, overrides, expected) => {
    expect(timeoutsFor(kind, overrides, false).firstTokenMs).toBe(expected);
  });

  it('gives a loading local model far longer to the first token than a cloud provider', () => {
    expect(LOCAL_TIMEOUTS.firstTokenMs).toBeGreaterThan(CLOUD_TIMEOUTS.firstTokenMs);
  });
});

describe('shouldFailover', () => {
  const cases: [AttemptOutcome, boolean, boolean, boolean][] = [
    [{ kind: 'connect-error' }, false, true, true],
    [{ kind: 'timeout', phase: 'first-token' }, false, true, true],
    [{ kind: 'timeout', phase: 'connect' }, false, true, true],
    [{ kind: 'unavailable' }, false, true, true],
    [{ kind: 'status', status: 500 }, false, true, true],
    [{ kind: 'status', status: 503 }, false, true, true],
    [{ kind: 'status', status: 429 }, false, true, true],
    [{ kind: 'status', status: 400 }, false, true, false],
    [{ kind: 'status', status: 404 }, false, true, false],
    [{ kind: 'status', status: 401 }, false, true, false],
    [{ kind: 'status', status: 500 }, false, false, false],
    [{ kind: 'timeout', phase: 'idle' }, true, true, false],
    [{ kind: 'mid-stream-error' }, true, true, false],
    [{ kind: 'mid-stream-error' }, false, true, true],
    [{ kind: 'connect-error' }, true, true, false],
  ];
  it.each(cases)('%j sawContent=%s hasNext=%s → %s', (outcome, saw, next, expected) => {
    expect(shouldFailover(outcome, saw, next)).toBe(expected);
  });
});

describe('isRetryableStatus / finalStatus', () => {
  it.each([
    [200, false],
    [408, false],
    [429, true],
    [499, false],
    [500, true],
    [529, true],
  ])('%i retryable=%s', (status, expected) => expect(isRetryableStatus(status)).toBe(expected));

  it.each([
    [{ kind: 'connect-error' }, 502],
    [{ kind: 'timeout', phase: 'total' }, 504],
    [{ kind: 'unavailable' }, 503],
    [{ kind: 'status', status: 429 }, 429],
    [{ kind: 'mid-stream-error' }, 502],
  ] as [AttemptOutcome, number][])('%j → %i', (outcome, status) => expect(finalStatus(outcome)).toBe(status));
});
