import { describe, expect, it } from 'vitest';
import { auditId } from './audit-id.js';

describe('auditId', () => {
  it('is a version 7 UUID whose first 48 bits are the time in milliseconds', () => {
    const id = auditId(Date.parse('2026-11-30T12:00:00.000Z'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.parse('2026-11-30T12:00:00.000Z'));
  });

  it('sorts by time as text, and two ids of the same millisecond differ', () => {
    const earlier = auditId(1_700_000_000_000);
    const later = auditId(1_700_000_000_001);
    expect(earlier < later).toBe(true);
    const sameMillisecond = Array.from({ length: 10_000 }, () => auditId(1_700_000_000_000));
    expect(new Set(sameMillisecond).size).toBe(10_000);
  });
});
