import { describe, expect, it } from 'vitest';
import { ThroughputMeter } from './throughput.js';

describe('ThroughputMeter', () => {
  it('divides total tokens by total generation time', () => {
    const m = new ThroughputMeter({ now: () => 1000 });
    m.observe('p', 100, 2000);
    m.observe('p', 50, 500);
    expect(m.tokensPerSecond('p')).toBeCloseTo(60);
    expect(m.tokensPerSecond('other')).toBeNull();
  });

  it('ignores empty or instant samples', () => {
    const m = new ThroughputMeter({ now: () => 0 });
    m.observe('p', 0, 100);
    m.observe('p', 10, 0);
    expect(m.tokensPerSecond('p')).toBeNull();
  });

  it('forgets samples outside the window and beyond the cap', () => {
    let now = 0;
    const m = new ThroughputMeter({ now: () => now, windowMs: 1000, maxSamples: 2 });
    m.observe('p', 10, 1000);
    now = 500;
    m.observe('p', 20, 1000);
    m.observe('p', 30, 1000);
    expect(m.tokensPerSecond('p')).toBeCloseTo(25);
    now = 5000;
    expect(m.tokensPerSecond('p')).toBeNull();
    expect(m.snapshot()).toEqual({});
  });

  it('snapshots every profile with samples', () => {
    const m = new ThroughputMeter({ now: () => 0 });
    m.observe('a', 10, 1000);
    m.observe('b', 40, 2000);
    expect(m.snapshot()).toEqual({ a: 10, b: 20 });
  });
});
