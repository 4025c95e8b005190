import { ProfilesChangedEvent, type Profile } from '@mlx-manager/contract';
import { api } from '$lib/api/index.js';
import { events } from './events.svelte.js';
import { refCounted, sharedFresh } from './lifecycle.js';

/** The profile list, refetched when the server says profiles changed (here, another tab, the CLI). */
class Profiles {
  list = $state.raw<Profile[]>([]);
  loaded = $state(false);
  error = $state<string | undefined>();

  /** Subscribes while some page needs it; returns the release. */
  readonly use = refCounted(() => {
    void this.refresh();
    return [events.refetchOn('profiles.changed', ProfilesChangedEvent, () => void this.refresh())];
  });

  /** A refetch asked during another gets a list asked after it: the one out may predate the change. */
  readonly refresh = sharedFresh(async () => {
    try {
      const sorted = (await api.profiles.list()).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      // Same content → keep the old array so nothing re-renders (no flicker, no scroll jump).
      if (JSON.stringify(sorted) !== JSON.stringify(this.list)) this.list = sorted;
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : 'Could not list profiles.';
    } finally {
      this.loaded = true;
    }
  });
}

export const profiles = new Profiles();
