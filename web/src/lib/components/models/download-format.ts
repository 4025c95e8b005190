import { formatBytes } from '$lib/format.js';

/** "12.5 MB/s"; nothing measured yet → "—". */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(bytesPerSecond, 1)}/s`;
}

/** Time left, precise enough to watch: "8s", "2m 05s", "1h 02m"; unknown → "—". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
}

/** Percent for the bar and label: one decimal, 0–100, from bytes when the server sent none. */
export function downloadPercent(done: number, total: number, percent?: number): number {
  const raw = percent !== undefined && Number.isFinite(percent) ? percent : total > 0 ? (done / total) * 100 : 0;
  return Math.min(100, Math.max(0, Math.round(raw * 10) / 10));
}
