// Display formatting shared by every page. Pure functions: no locale state, no I/O.

const BYTE_UNITS = ['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Trims trailing zeros of a fixed-point number ("1.50" → "1.5", "2.00" → "2"). */
function trimmed(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

/**
 * Bytes in the largest base-1024 unit that keeps the number ≥ 1: `formatBytes(1536)` → "1.5 KB",
 * `formatBytes(7.2e9)` → "6.71 GB". Used for every memory and size figure (never raw MB).
 */
export function formatBytes(bytes: number, decimals = 2): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 Bytes';
  const exponent = Math.min(Math.floor(Math.log(bytes) / Math.log(1024)), BYTE_UNITS.length - 1);
  let value = bytes / 1024 ** exponent;
  let unit = exponent;
  // 1023.999 KB rounds to "1024 KB": move to the next unit instead.
  if (Number(value.toFixed(decimals)) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${trimmed(value, decimals)} ${BYTE_UNITS[unit]}`;
}

/** A duration in whole seconds, coarse: "45s", "12m", "3h 5m", "2d 4h". */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '0s';
  const seconds = Math.floor(totalSeconds);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (seconds < 3600) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (seconds < 86_400) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(seconds / 86_400)}d ${hours % 24}h`;
}

/** Large counts for people: 950 → "950", 1234 → "1.2K", 3_400_000 → "3.4M", 2e9 → "2B". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const scales: Array<[number, string]> = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of scales) {
    // Compare after rounding, largest scale first, so 999_950 reads "1M", never "1000K".
    if (Number((abs / scale).toFixed(1)) >= 1) return `${sign}${trimmed(abs / scale, 1)}${suffix}`;
  }
  return `${sign}${trimmed(abs, 0)}`;
}

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
];

/** "just now", "5 minutes ago", "yesterday", "in 2 hours". Unparseable dates → "never". */
export function formatRelativeTime(date: string | Date | null | undefined, now: Date = new Date()): string {
  if (date === null || date === undefined) return 'never';
  const when = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(when.getTime())) return 'never';
  const deltaSeconds = (when.getTime() - now.getTime()) / 1000;
  if (Math.abs(deltaSeconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(deltaSeconds) >= size) return format.format(Math.round(deltaSeconds / size), unit);
  }
  return format.format(Math.round(deltaSeconds / 60), 'minute');
}

/** A calendar date in the reader's locale ("Nov 23, 2026"); unparseable → "—". */
export function formatDate(date: string | Date, locale?: string): string {
  const when = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(when.getTime())) return '—';
  return when.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Cuts a string to `max` characters, ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}
