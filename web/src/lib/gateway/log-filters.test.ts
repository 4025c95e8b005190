import { describe, expect, it } from 'vitest';
import { auditQuery, filtersFromParams, filtersToParams, matchesFilters } from './log-filters.js';

describe('log filters', () => {
  it('round-trip through the URL, dropping defaults and malformed values', () => {
    const f = filtersFromParams(new URLSearchParams('model=gpt-x&backend=openai&status=5xx&range=24h'));
    expect(f).toEqual({ model: 'gpt-x', backend: 'openai', status: '5xx', range: '24h' });
    expect(filtersToParams(f).toString()).toBe('model=gpt-x&backend=openai&status=5xx&range=24h');
    expect(filtersFromParams(new URLSearchParams('backend=ftp&status=7xx&range=1y'))).toEqual({ model: '', backend: '', status: '', range: '1h' });
    expect(filtersToParams(filtersFromParams(new URLSearchParams(''))).toString()).toBe('');
  });

  it('build the audit query from now and the range', () => {
    const now = Date.parse('2026-01-01T01:00:00Z');
    expect(auditQuery({ model: '', backend: '', status: 'error', range: '1h' }, now)).toEqual({ since: '2026-01-01T00:00:00.000Z', status: 'error' });
  });

  it('tell whether a live record belongs in the view', () => {
    const now = Date.parse('2026-01-01T01:00:00Z');
    const r = { requested_model: 'm', backend: 'local' as const, status: 503, time: '2026-01-01T00:59:00Z' };
    expect(matchesFilters(r, { model: 'm', backend: 'local', status: '5xx', range: '1h' }, now)).toBe(true);
    expect(matchesFilters(r, { model: '', backend: '', status: 'ok', range: '1h' }, now)).toBe(false);
    expect(matchesFilters(r, { model: '', backend: '', status: '503', range: '1h' }, now)).toBe(true);
    expect(matchesFilters({ ...r, time: '2026-01-01T00:40:00Z' }, { model: '', backend: '', status: '', range: '15m' }, now)).toBe(false);
  });
});
