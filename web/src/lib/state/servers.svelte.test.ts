import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Server } from '@mlx-manager/contract';

// The store over a fake API and a fake event stream: what the Servers page sees through a restart.
vi.mock('./events.svelte.js', () => import('./events.fake.js'));
const list = vi.fn<() => Promise<Server[]>>();
const restart = vi.fn(async () => undefined);
const start = vi.fn(async () => undefined);
vi.mock('$lib/api/index.js', () => ({ api: { servers: { list, restart, start, stop: vi.fn(async () => undefined) } } }));

const { emitEvent } = await import('./events.fake.js');
const { servers } = await import('./servers.svelte.js');

const server = (extra: Partial<Server> = {}): Server => ({
  profile_id: 'a',
  profile_name: 'Alpha',
  state: 'ready',
  revision: 0,
  pid: 10,
  host: '127.0.0.1',
  port: 10240,
  memory_bytes: 1,
  cpu_percent: 0,
  uptime_seconds: 5,
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
const emit = (s: Server) => emitEvent('server.changed', { type: 'server.changed', server: s });

describe('servers store', () => {
  beforeEach(async () => {
    list.mockResolvedValue([server()]);
    servers.use();
    await servers.refresh();
  });

  it('keeps one tile state through a restart (never "stopped" in between)', async () => {
    expect(servers.stateOf('a')).toBe('running');
    await servers.restart('a');
    expect(servers.stateOf('a')).toBe('restarting');
    emit(server({ state: 'stopping' }));
    expect(servers.stateOf('a')).toBe('restarting');
    emit(server({ state: 'stopped', pid: null }));
    expect(servers.stateOf('a')).toBe('restarting');
    emit(server({ state: 'starting', started_at: '2026-01-01T00:05:00.000Z' }));
    expect(servers.stateOf('a')).toBe('starting');
    emit(server({ state: 'ready', started_at: '2026-01-01T00:05:00.000Z' }));
    expect(servers.stateOf('a')).toBe('running');
  });

  it('ends "restarting" when only the final state is seen (events missed)', async () => {
    await servers.restart('a');
    emit(server({ state: 'ready', started_at: '2026-01-01T00:09:00.000Z' }));
    expect(servers.stateOf('a')).toBe('running');
  });

  it('applies pushed metrics and machine memory', () => {
    emitEvent('servers.metrics', {
      type: 'servers.metrics',
      machine: { total_bytes: 100, available_bytes: 60, used_bytes: 40 },
      servers: [{ profile_id: 'a', memory_bytes: 4096, cpu_percent: 12.5, uptime_seconds: 99 }],
    });
    expect(servers.get('a')).toMatchObject({ memory_bytes: 4096, cpu_percent: 12.5, uptime_seconds: 99 });
    expect(servers.machine?.used_bytes).toBe(40);
  });

  it('dismisses a failure until the next one', async () => {
    emit(server({ state: 'failed', error: 'exit 1' }));
    expect(servers.stateOf('a')).toBe('failed');
    servers.dismiss('a');
    expect(servers.stateOf('a')).toBe('stopped');
    await servers.start('a');
    expect(start).toHaveBeenCalledWith('a');
    emit(server({ state: 'failed', error: 'exit 2', started_at: '2026-01-01T01:00:00.000Z' }));
    expect(servers.stateOf('a')).toBe('failed');
  });

  it('keeps "failed" when the list asked before the failure answers after its event (the CI race)', async () => {
    const other = (extra: Partial<Server>) => server({ profile_id: 'z', profile_name: 'Zeta', ...extra });
    list.mockResolvedValue([server(), other({ state: 'starting', revision: 9 })]);
    await servers.refresh();
    let answer: (servers: Server[]) => void = () => undefined;
    list.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const refreshed = servers.refresh();
    emit(other({ state: 'failed', error: 'exit 1', revision: 10 }));
    answer([server(), other({ state: 'starting', revision: 9 })]);
    await refreshed;
    expect(servers.stateOf('z')).toBe('failed');
    // A later list still brings newer states.
    list.mockResolvedValue([server(), other({ state: 'stopped', revision: 11 })]);
    await servers.refresh();
    expect(servers.stateOf('z')).toBe('stopped');
  });

  it('answers a refresh asked during another with a list asked after it (a profile deleted meanwhile goes)', async () => {
    list.mockResolvedValue([server(), server({ profile_id: 'y', profile_name: 'Ypsilon', state: 'failed' })]);
    await servers.refresh();
    let answer: (servers: Server[]) => void = () => undefined;
    list.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const before = servers.refresh();
    list.mockResolvedValue([server()]);
    const after = servers.refresh();
    answer([server(), server({ profile_id: 'y', profile_name: 'Ypsilon', state: 'failed' })]);
    await Promise.all([before, after]);
    expect(servers.get('y')).toBeUndefined();
  });
});
