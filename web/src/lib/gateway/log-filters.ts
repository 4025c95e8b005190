import type { AuditBackend } from '@mlx-manager/contract';

/** Time ranges the Logs page offers, newest end = now. */
export const RANGES = { '15m': 15 * 60_000, '1h': 3600_000, '6h': 6 * 3600_000, '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000 } as const;
export type RangeKey = keyof typeof RANGES;

const BACKENDS: readonly AuditBackend[] = ['local', 'openai', 'anthropic', 'openai-compatible'];
const STATUS = /^(ok|error|[1-5]xx|[1-5]\d\d)$/;

/** What the Logs page shows; every field lives in the URL so a view can be shared or reloaded. */
export interface LogFilters {
  model: string;
  backend: AuditBackend | '';
  /** ok, error, a class like 5xx or a status like 429; '' = all. */
  status: string;
  range: RangeKey;
}

export const DEFAULT_FILTERS: LogFilters = { model: '', backend: '', status: '', range: '1h' };

/** Pure: the filters in a URL's query (unknown or malformed values fall back to "all"). */
export function filtersFromParams(params: URLSearchParams): LogFilters {
  const backend = params.get('backend') ?? '';
  const status = params.get('status') ?? '';
  const range = params.get('range') ?? '';
  return {
    model: (params.get('model') ?? '').slice(0, 1000),
    backend: (BACKENDS as readonly string[]).includes(backend) ? (backend as AuditBackend) : '',
    status: STATUS.test(status) ? status : '',
    range: range in RANGES ? (range as RangeKey) : DEFAULT_FILTERS.range,
  };
}

/** Pure: the URL query for filters (defaults left out, so the plain page URL means "everything, last hour"). */
export function filtersToParams(f: LogFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.model) params.set('model', f.model);
  if (f.backend) params.set('backend', f.backend);
  if (f.status) params.set('status', f.status);
  if (f.range !== DEFAULT_FILTERS.range) params.set('range', f.range);
  return params;
}

/** Pure: the `/api/audit` query for filters at time `now`. */
export function auditQuery(f: LogFilters, now: number): Record<string, string> {
  const q: Record<string, string> = { since: new Date(now - RANGES[f.range]).toISOString() };
  if (f.model) q.model = f.model;
  if (f.backend) q.backend = f.backend;
  if (f.status) q.status = f.status;
  return q;
}

/** Pure: does a record (just announced live) belong in the current view? */
export function matchesFilters(r: { requested_model: string; backend: AuditBackend | null; status: number; time: string }, f: LogFilters, now: number): boolean {
  if (f.model && r.requested_model !== f.model) return false;
  if (f.backend && r.backend !== f.backend) return false;
  if (Date.parse(r.time) < now - RANGES[f.range]) return false;
  if (!f.status) return true;
  if (f.status === 'ok') return r.status < 400;
  if (f.status === 'error') return r.status >= 400;
  if (f.status.endsWith('xx')) return Math.floor(r.status / 100) === Number(f.status[0]);
  return r.status === Number(f.status);
}
