import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatDuration, formatNumber, formatRelativeTime, truncate } from './format.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 Bytes'],
    [-5, '0 Bytes'],
    [Number.NaN, '0 Bytes'],
    [1, '1 Bytes'],
    [1023, '1023 Bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [1024 ** 2 * 512, '512 MB'],
    [7.2e9, '6.71 GB'],
    [1024 ** 4 * 3, '3 TB'],
  ])('%d → %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });

  it('moves to the next unit instead of printing 1024 of one', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MB');
  });

  it('honours the number of decimals', () => {
    expect(formatBytes(1024 * 1.23456, 3)).toBe('1.235 KB');
    expect(formatBytes(1024 * 1.6, 0)).toBe('2 KB');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59.9, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600, '1h 0m'],
    [3 * 3600 + 5 * 60 + 9, '3h 5m'],
    [2 * 86_400 + 4 * 3600, '2d 4h'],
    [-1, '0s'],
  ])('%d s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [1234, '1.2K'],
    [12_000, '12K'],
    [999_950, '1M'],
    [3_400_000, '3.4M'],
    [2_000_000_000, '2B'],
    [-1500, '-1.5K'],
  ])('%d → %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2026-01-10T12:00:00Z');

  it.each([
    ['2026-01-10T11:59:30Z', 'just now'],
    ['2026-01-10T11:55:00Z', '5 minutes ago'],
    ['2026-01-10T09:00:00Z', '3 hours ago'],
    ['2026-01-09T12:00:00Z', 'yesterday'],
    ['2026-01-10T14:00:00Z', 'in 2 hours'],
    ['2025-12-20T12:00:00Z', '3 weeks ago'],
  ])('%s → %s', (date, expected) => {
    expect(formatRelativeTime(date, now)).toBe(expected);
  });

  it('says never for missing or unparseable dates', () => {
    expect(formatRelativeTime(null, now)).toBe('never');
    expect(formatRelativeTime('not a date', now)).toBe('never');
  });
});

describe('formatDate and truncate', () => {
  it('formats a calendar date and refuses garbage', () => {
    expect(formatDate('2026-03-05T10:00:00Z', 'en-US')).toBe('Mar 5, 2026');
    expect(formatDate('nope')).toBe('—');
  });

  it('cuts long text with an ellipsis only when needed', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('mlx-community/Qwen3-8B-4bit', 10)).toBe('mlx-commu…');
    expect(truncate('mlx-community/Qwen3-8B-4bit', 10)).toHaveLength(10);
  });
});
