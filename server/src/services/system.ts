// What the machine is and which engines it has: GET /api/system and `mlx-manager status`.
import os from 'node:os';
import type { EngineKind, SystemInfo } from '@mlx-manager/contract';
import type { EngineDiscovery } from '../engines/launchers/discover.js';
import { LAUNCHERS } from '../engines/launchers/index.js';
import { machineMemory } from '../engines/metrics.js';

/** Engines found by the same discovery the supervisor uses (custom commands are per profile). */
export function createSystemService(discovery: EngineDiscovery) {
  return {
    /** `withPaths: false` leaves out where executables live (only admins need, or may see, the layout). */
    async info(options: { withPaths: boolean } = { withPaths: true }): Promise<SystemInfo> {
      const kinds = (Object.keys(LAUNCHERS) as EngineKind[]).filter((k) => k !== 'custom');
      const engines = await Promise.all(
        kinds.map(async (kind) => {
          const found = await discovery.discover(LAUNCHERS[kind], { executable: null, command: [] });
          return found.ok
            ? { engine: kind, found: true, executable: options.withPaths ? found.caps.executable : null, version: found.caps.version, reason: null }
            : { engine: kind, found: false, executable: null, version: null, reason: options.withPaths ? found.reason : 'not found' };
        }),
      );
      const mem = machineMemory();
      const cpus = os.cpus();
      return {
        os: { platform: process.platform, release: os.release(), arch: process.arch },
        cpu: { model: cpus[0]?.model ?? 'unknown', cores: cpus.length },
        memory: { total_bytes: mem.totalBytes, available_bytes: mem.availableBytes, used_bytes: mem.usedBytes },
        node_version: process.version,
        engines,
      };
    },
  };
}

export type SystemService = ReturnType<typeof createSystemService>;
