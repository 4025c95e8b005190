import { describe, expect, it } from 'vitest';
import type { Server } from '@mlx-manager/contract';
import { applyMetrics, failureKey, gaugeLevel, gaugePercent, isOlder, reconcileServers, tileState, upsertServer } from './servers-logic.js';

const server = (id: string, name: string, extra: Partial<Server> = {}): Server => ({
  profile_id: id,
  profile_name: name,
  state: 'ready',
  revision: 0,
  pid: 100,
  host: '127.0.0.1',
  port: 10240,
  memory_bytes: 1000,
  cpu_percent: 5,
  uptime_seconds: 10,
  started_at: '2026-01-01T00:00:00.000Z',
  error: null,
  failure_cause: null,
  failure_hint: null,
  log_excerpt: null,
  exit_code: null,
  exit_signal: null,
  in_flight: 0,
  tokens_per_second: null,
  warnings: [],
  engine_version: null,
  ...extra,
});

describe('reconcileServers', () => {
  it('keeps unchanged entries as the same objects and the same array', () => {
    const shown = reconcileServers([], [server('b', 'Beta'), server('a', 'Alpha')]);
    expect(shown.map((s) => s.profile_name)).toEqual(['Alpha', 'Beta']);
    const again = reconcileServers(shown, [server('a', 'Alpha'), server('b', 'Beta')]);
    expect(again).toBe(shown);
  });

  it('replaces only the entry that changed, order stable by name', () => {
    const shown = reconcileServers([], [server('a', 'Alpha'), server('b', 'Beta')]);
    const next = reconcileServers(shown, [server('b', 'Beta', { state: 'stopping' }), server('a', 'Alpha')]);
    expect(next).not.toBe(shown);
    expect(next[0]).toBe(shown[0]);
    expect(next[1]?.state).toBe('stopping');
  });
});

describe('upsertServer', () => {
  it('adds, replaces in place, and ignores identical updates', () => {
    const one = upsertServer([], server('a', 'Alpha'));
    const two = upsertServer(one, server('b', 'Beta'));
    expect(two.map((s) => s.profile_id)).toEqual(['a', 'b']);
    expect(upsertServer(two, server('a', 'Alpha'))).toBe(two);
    const three = upsertServer(two, server('a', 'Alpha', { state: 'starting' }));
    expect(three[0]?.state).toBe('starting');
    expect(three[1]).toBe(two[1]);
  });
});

describe('entries arriving out of order (list answers and events)', () => {
  const starting = server('a', 'Alpha', { state: 'starting', revision: 41 });
  const failed = server('a', 'Alpha', { state: 'failed', error: 'exit 1', revision: 42 });

  it('keeps "failed" when a list answer computed before the failure lands after its event', () => {
    const shown = upsertServer(reconcileServers([], [starting]), failed);
    expect(reconcileServers(shown, [starting, server('b', 'Beta')]).map((s) => [s.profile_id, s.state])).toEqual([
      ['a', 'failed'],
      ['b', 'ready'],
    ]);
    expect(reconcileServers(shown, [starting])).toBe(shown);
  });

  it('ignores an event older than the entry shown', () => {
    const shown = reconcileServers([], [failed]);
    expect(upsertServer(shown, starting)).toBe(shown);
  });

  it('lets a newer list answer or event replace the entry', () => {
    const shown = reconcileServers([], [failed]);
    const stopped = server('a', 'Alpha', { state: 'stopped', revision: 43 });
    expect(reconcileServers(shown, [stopped])[0]?.state).toBe('stopped');
    expect(upsertServer(shown, stopped)[0]?.state).toBe('stopped');
    // Same revision (a queued start read as "starting" before its first transition): replaces.
    expect(upsertServer(shown, { ...failed, state: 'starting', error: null })[0]?.state).toBe('starting');
  });

  it('compares revisions of one profile only', () => {
    expect(isOlder(starting, failed)).toBe(true);
    expect(isOlder(failed, starting)).toBe(false);
    expect(isOlder(starting, undefined)).toBe(false);
  });
});

describe('applyMetrics', () => {
  it('updates the servers named and leaves others untouched', () => {
    const shown = [server('a', 'Alpha'), server('b', 'Beta')];
    const next = applyMetrics(shown, [{ profile_id: 'b', memory_bytes: 5e9, cpu_percent: 150, uptime_seconds: 99, tokens_per_second: 42.5 }]);
    expect(next[0]).toBe(shown[0]);
    expect(next[1]).toMatchObject({ memory_bytes: 5e9, cpu_percent: 150, uptime_seconds: 99, tokens_per_second: 42.5 });
    expect(applyMetrics(next, [{ profile_id: 'b', memory_bytes: 5e9, cpu_percent: 150, uptime_seconds: 99, tokens_per_second: 42.5 }])).toBe(next);
  });
});

describe('tileState', () => {
  it('maps server states to one tile state', () => {
    expect(tileState(undefined)).toBe('stopped');
    expect(tileState(server('a', 'A', { state: 'ready' }))).toBe('running');
    expect(tileState(server('a', 'A', { state: 'starting' }))).toBe('starting');
  });

  it('stays "restarting" through stopping and stopped while a restart is pending (the tile never unmounts)', () => {
    for (const state of ['stopping', 'stopped', 'ready'] as const) {
      expect(tileState(server('a', 'A', { state }), { restarting: true })).toBe('restarting');
    }
    expect(tileState(server('a', 'A', { state: 'starting' }), { restarting: true })).toBe('starting');
  });

  it('hides a dismissed failure but shows the next one', () => {
    const failed = server('a', 'A', { state: 'failed', error: 'exit 1', started_at: '2026-01-01T00:00:00.000Z' });
    expect(tileState(failed)).toBe('failed');
    expect(tileState(failed, { dismissedFailure: failureKey(failed) })).toBe('stopped');
    const again = { ...failed, started_at: '2026-01-01T00:01:00.000Z' };
    expect(tileState(again, { dismissedFailure: failureKey(failed) })).toBe('failed');
  });
});

describe('gauges', () => {
  it('clamps and bands values', () => {
    expect(gaugePercent(null)).toBe(0);
    expect(gaugePercent(250)).toBe(100);
    expect(gaugePercent(-3)).toBe(0);
    expect(gaugePercent(2, 8)).toBe(25);
    expect(gaugeLevel(74.9)).toBe('ok');
    expect(gaugeLevel(75)).toBe('warn');
    expect(gaugeLevel(90)).toBe('high');
  });
});
