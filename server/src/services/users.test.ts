import { describe, expect, it } from 'vitest';
import { issuedBefore } from './users.js';

describe('session cut-off', () => {
  it('refuses tokens issued in a second before the cut-off, accepts the same second and later', () => {
    const cut = '2026-01-01T00:00:10.500Z';
    const at = Date.parse('2026-01-01T00:00:10.000Z') / 1000;
    expect(issuedBefore(at - 1, cut)).toBe(true);
    expect(issuedBefore(at, cut)).toBe(false);
    expect(issuedBefore(at + 5, cut)).toBe(false);
    expect(issuedBefore(0, null)).toBe(false);
  });
});
