import { describe, expect, it } from 'vitest';
import { stableHash, weatherFor } from './weather.js';

describe('weather', () => {
  it('is the same for the same place, whatever the case and spaces', () => {
    expect({ ...weatherFor(' Lisbon '), location: '' }).toEqual({ ...weatherFor('lisbon'), location: '' });
    expect(weatherFor('Lisbon').location).toBe('Lisbon');
  });

  it('differs between places and stays in plausible ranges', () => {
    const places = ['Lisbon', 'Oslo', 'Tokyo', 'Nairobi', 'Lima', 'Perth'];
    const reports = places.map((p) => weatherFor(p));
    expect(new Set(reports.map((r) => `${r.temperature}/${r.condition}`)).size).toBeGreaterThan(3);
    for (const r of reports) {
      expect(r.temperature).toBeGreaterThanOrEqual(-5);
      expect(r.temperature).toBeLessThan(35);
      expect(r.humidity_percent).toBeGreaterThanOrEqual(30);
      expect(r.humidity_percent).toBeLessThanOrEqual(90);
    }
  });

  it('converts to fahrenheit from the same celsius value', () => {
    const c = weatherFor('Paris', 'celsius').temperature;
    expect(weatherFor('Paris', 'fahrenheit').temperature).toBeCloseTo((c * 9) / 5 + 32, 0);
  });

  it('hashes stably (a fixed value, not per process)', () => {
    expect(stableHash('abc')).toBe(0x1a47e90b);
    expect(() => weatherFor('  ')).toThrow(/location/);
  });
});
