import { ServerState } from '@mlx-manager/contract';
import type { Registry } from 'prom-client';
import { Gauge } from './prom.js';
import type { Services } from '../services/index.js';

export interface StateSources {
  servers: Pick<Services['servers'], 'list'>;
  downloads: Pick<Services['downloads'], 'list'>;
  /** Event streams open now. */
  streamClients: () => number;
}

/** Gauges read at scrape time: each engine's state, memory and CPU, downloads running, stream clients. */
export function stateMetrics(registry: Registry, sources: StateSources): void {
  const state = new Gauge({ name: 'mlxm_engine_state', help: '1 for the state each profile\'s engine is in, 0 for the others', labelNames: ['profile_id', 'profile', 'state'], registers: [registry] });
  const memory = new Gauge({ name: 'mlxm_engine_memory_bytes', help: 'Resident memory of an engine\'s process tree', labelNames: ['profile_id', 'profile'], registers: [registry] });
  const cpu = new Gauge({ name: 'mlxm_engine_cpu_percent', help: 'CPU of an engine\'s process tree (can exceed 100 on several cores)', labelNames: ['profile_id', 'profile'], registers: [registry] });
  const inFlight = new Gauge({ name: 'mlxm_engine_requests_in_flight', help: 'Requests an engine is serving now', labelNames: ['profile_id', 'profile'], registers: [registry] });
  const downloads = new Gauge({ name: 'mlxm_downloads_in_progress', help: 'Downloads queued or running', registers: [registry] });
  new Gauge({
    name: 'mlxm_event_stream_clients',
    help: 'Open server-sent event streams',
    registers: [registry],
    collect() {
      this.set(sources.streamClients());
    },
  });

  // One gauge's collect() refreshes the engine gauges together, from one servers.list().
  new Gauge({
    name: 'mlxm_engines',
    help: 'Profiles known to this instance',
    registers: [registry],
    async collect() {
      const [servers, all] = await Promise.all([sources.servers.list(), sources.downloads.list()]);
      state.reset();
      memory.reset();
      cpu.reset();
      inFlight.reset();
      for (const s of servers) {
        const who = { profile_id: s.profile_id, profile: s.profile_name };
        for (const st of ServerState.options) state.set({ ...who, state: st }, st === s.state ? 1 : 0);
        if (s.memory_bytes !== null) memory.set(who, s.memory_bytes);
        if (s.cpu_percent !== null) cpu.set(who, s.cpu_percent);
        inFlight.set(who, s.in_flight);
      }
      downloads.set(all.filter((d) => d.state === 'queued' || d.state === 'running').length);
      this.set(servers.length);
    },
  });
}
