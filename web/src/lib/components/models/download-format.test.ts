import { describe, expect, it } from 'vitest';
import { downloadPercent, formatEta, formatSpeed } from './download-format.js';

describe('formatSpeed', () => {
  it('auto-scales bytes per second', () => {
    expect(formatSpeed(0)).toBe('—');
    expect(formatSpeed(512)).toBe('512 Bytes/s');
    expect(formatSpeed(1536)).toBe('1.5 KB/s');
    expect(formatSpeed(12.5 * 1024 * 1024)).toBe('12.5 MB/s');
    expect(formatSpeed(Number.NaN)).toBe('—');
  });
});

describe('formatEta', () => {
  it('reads as seconds, minutes with seconds, hours with minutes', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(-1)).toBe('—');
    expect(formatEta(0)).toBe('0s');
    expect(formatEta(7.2)).toBe('8s');
    expect(formatEta(125)).toBe('2m 05s');
    expect(formatEta(3600 + 120)).toBe('1h 02m');
  });
});

describe('downloadPercent', () => {
  it('prefers the server percent, else computes it, clamped to one decimal', () => {
    expect(downloadPercent(1, 3, 33.333)).toBe(33.3);
    expect(downloadPercent(1, 4)).toBe(25);
    expect(downloadPercent(5, 0)).toBe(0);
    expect(downloadPercent(10, 5)).toBe(100);
  });
});
