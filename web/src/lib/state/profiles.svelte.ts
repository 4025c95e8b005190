import { ProfilesChangedEvent, type Profile } from '@mlx-manager/contract';
import { api } from '$lib/api/index.js';
import { events } from './events.svelte.js';

/** The profile list, refetched when the server says profiles changed (here, another tab, the CLI). */
class Profiles {
  list = $state.raw<Profile[]>([]);
  loaded = $state(false);
  error = $state<string | undefined>();
  #users = 0;
  #stop: Array<() => void> = [];
  #inFlight: Promise<void> | undefined;

  use(): () => void {
    this.#users += 1;
    if (this.#users === 1) {
      this.#stop = [
        events.on('profiles.changed', ProfilesChangedEvent, () => void this.refresh()),
        events.onResync(() => void this.refresh()),
      ];
      void this.refresh();
    }
    return () => {
      this.#users -= 1;
      if (this.#users === 0) for (const stop of this.#stop.splice(0)) stop();
    };
  }

  refresh(): Promise<void> {
    this.#inFlight ??= api.profiles
      .list()
      .then((list) => {
        const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
        // Same content → keep the old array so nothing re-renders (no flicker, no scroll jump).
        if (JSON.stringify(sorted) !== JSON.stringify(this.list)) this.list = sorted;
        this.error = undefined;
      })
      .catch((error: unknown) => {
        this.error = error instanceof Error ? error.message : 'Could not list profiles.';
      })
      .finally(() => {
        this.loaded = true;
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }
}

export const profiles = new Profiles();
