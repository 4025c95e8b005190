// The weather tool's answer: invented but deterministic — the same place always gets the same
// weather (on every machine and run), so tests and demos of the tool loop are repeatable. It is a
// stand-in that shows tool calling, not a forecast.

export type TemperatureUnit = 'celsius' | 'fahrenheit';

export interface WeatherReport {
  location: string;
  temperature: number;
  unit: TemperatureUnit;
  condition: string;
  humidity_percent: number;
  wind_kph: number;
  note: string;
}

const CONDITIONS = ['sunny', 'partly cloudy', 'cloudy', 'light rain', 'rain', 'windy', 'fog', 'snow'] as const;

/** Pure: FNV-1a over the UTF-16 code units — stable everywhere, unlike a per-process seeded hash. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Pure: the weather "at" a location; the location is trimmed and compared case-insensitively. */
export function weatherFor(location: string, unit: TemperatureUnit = 'celsius'): WeatherReport {
  const place = location.trim();
  if (place === '') throw new Error('location is required');
  const h = stableHash(place.toLowerCase());
  const celsius = -5 + (h % 400) / 10; // -5.0 … 34.9 °C
  const condition = CONDITIONS[(h >>> 9) % CONDITIONS.length] as string;
  const snowWhenWarm = condition === 'snow' && celsius > 2;
  return {
    location: place,
    temperature: unit === 'fahrenheit' ? Math.round((celsius * 9) / 5 * 10 + 320) / 10 : Math.round(celsius * 10) / 10,
    unit,
    condition: snowWhenWarm ? 'cloudy' : condition,
    humidity_percent: 30 + ((h >>> 13) % 61),
    wind_kph: (h >>> 19) % 45,
    note: 'Simulated weather from MLX Manager\'s built-in demo tool, not a real forecast.',
  };
}
