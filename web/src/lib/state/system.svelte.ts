import type { SystemInfo } from '@mlx-manager/contract';
import { api } from '$lib/api/index.js';
import { sharedInFlight } from './lifecycle.js';

/** The machine (cores, memory, engines found), read once per session; memory then comes live with metrics. */
class System {
  info = $state.raw<SystemInfo | undefined>();

  readonly #fetch = sharedInFlight(async () => {
    try {
      this.info = await api.system.info();
    } catch {
      // Only the gauges' scales depend on it; they fall back to plain values.
    }
  });

  load(): Promise<void> {
    return this.info ? Promise.resolve() : this.#fetch();
  }
}

export const system = new System();
