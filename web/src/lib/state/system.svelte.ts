import type { SystemInfo } from '@mlx-manager/contract';
import { api } from '$lib/api/index.js';

/** The machine (cores, memory, engines found), read once per session; memory then comes live with metrics. */
class System {
  info = $state.raw<SystemInfo | undefined>();
  #inFlight: Promise<void> | undefined;

  load(): Promise<void> {
    if (this.info) return Promise.resolve();
    this.#inFlight ??= api.system
      .info()
      .then((info) => {
        this.info = info;
      })
      .catch(() => {
        // Only gauges' scales depend on it; they fall back to per-value display.
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }
}

export const system = new System();
