// What the machine is and which engines it has: GET /api/system and `mlx-manager status`.
import os from 'node:os';
import path from 'node:path';
import type { EngineKind, SystemInfo } from '@mlx-manager/contract';
import type { EngineDiscovery } from '../engines/launchers/discover.js';
import { LAUNCHERS } from '../engines/launchers/index.js';
import { machineMemory } from '../engines/metrics.js';
import { installHint, venvEngineReasons } from './engine-install.js';

/** Engines found by the same discovery the supervisor uses (custom commands are per profile). */
/**
 * `venvBin`: the project venv's bin folder, whose `../engines.json` says why setup left an
 * engine out (null: no venv is searched).
 */
export function createSystemService(discovery: EngineDiscovery, venvBin: string | null = null) {
  return {
    /** `withPaths: false` leaves out where executables live (only admins need, or may see, the layout). */
    async info(options: { withPaths: boolean } = { withPaths: true }): Promise<SystemInfo> {
      const kinds = (Object.keys(LAUNCHERS) as EngineKind[]).filter((k) => k !== 'custom');
      const setupReasons = venvBin ? await venvEngineReasons(path.dirname(venvBin)) : {};
      const engines = await Promise.all(
        kinds.map(async (kind) => {
          const found = await discovery.discover(LAUNCHERS[kind], { executable: null, command: [] });
          return found.ok
            ? { engine: kind, found: true, executable: options.withPaths ? found.caps.executable : null, version: found.caps.version, reason: null, install_hint: null }
            : {
                engine: kind,
                found: false,
                executable: null,
                version: null,
                // Setup's reason says why in words anyone may read; the discovery's names paths.
                reason: setupReasons[kind] ?? (options.withPaths ? found.reason : 'not installed on this machine'),
                install_hint: installHint(kind),
              };
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
