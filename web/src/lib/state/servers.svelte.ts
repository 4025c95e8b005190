import { ProfilesChangedEvent, ServerChangedEvent, ServerMetricsEvent, type MachineMemory, type Server } from '@mlx-manager/contract';
import { api } from '$lib/api/index.js';
import { events } from './events.svelte.js';
import { mapWith, mapWithout } from './immutable.js';
import { refCounted, sharedFresh } from './lifecycle.js';
import { applyMetrics, failureKey, isOlder, reconcileServers, tileState, upsertServer, type TileState } from './servers-logic.js';

/**
 * Every profile's server (one entry per profile, whatever its state), kept live by
 * `server.changed` and `servers.metrics` events; machine memory from the same metrics.
 * Local intents (a restart in flight, a dismissed failure) live here too, so the tile of a
 * profile has one state and stays mounted from stop to start.
 */
class Servers {
  list = $state.raw<Server[]>([]);
  loaded = $state(false);
  error = $state<string | undefined>();
  machine = $state.raw<MachineMemory | undefined>();
  /**
   * The one profile whose live log is open: each live log is a long-lived connection and
   * browsers allow only six per server, so opening one closes the other.
   */
  logsFor = $state<string | undefined>();
  /** Profiles being restarted → their `started_at` when the restart was asked (to see it is over). */
  #restarting = $state.raw<ReadonlyMap<string, string | null>>(new Map());
  #dismissed = $state.raw<ReadonlyMap<string, string | null>>(new Map());

  /** Subscribes while some page needs it; returns the release. */
  readonly use = refCounted(() => {
    void this.refresh();
    return [
      events.on('server.changed', ServerChangedEvent, (e) => this.#changed(e.server)),
      events.on('servers.metrics', ServerMetricsEvent, (e) => {
        this.machine = e.machine;
        this.list = applyMetrics(this.list, e.servers);
      }),
      events.on('profiles.changed', ProfilesChangedEvent, () => void this.refresh()),
      events.onResync(() => void this.refresh()),
    ];
  });

  /**
   * Each call gets a list asked after it (sharedFresh): an answer computed earlier can no longer
   * take a tile back (entries are ordered by revision), but it could still show a profile deleted
   * since, or miss one created since, with no event to correct it.
   */
  readonly refresh = sharedFresh(async () => {
    try {
      const fresh = await api.servers.list();
      // Merged into the list as it is now, with the events that arrived during the request.
      this.list = reconcileServers(this.list, fresh);
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : 'Could not list servers.';
    } finally {
      this.loaded = true;
    }
  });

  get(profileId: string): Server | undefined {
    return this.list.find((s) => s.profile_id === profileId);
  }

  stateOf(profileId: string): TileState {
    const server = this.get(profileId);
    const baseline = this.#restarting.get(profileId);
    const restartOver = server?.state === 'ready' && server.started_at !== baseline;
    return tileState(server, {
      restarting: baseline !== undefined && !restartOver,
      dismissedFailure: this.#dismissed.get(profileId) ?? null,
    });
  }

  async start(profileId: string): Promise<void> {
    this.#setDismissed(profileId, undefined);
    await api.servers.start(profileId);
    void this.refresh();
  }

  async stop(profileId: string): Promise<void> {
    this.#setRestarting(profileId, false);
    await api.servers.stop(profileId);
    void this.refresh();
  }

  async restart(profileId: string): Promise<void> {
    this.#setRestarting(profileId, true, this.get(profileId)?.started_at ?? null);
    try {
      await api.servers.restart(profileId);
    } catch (error) {
      this.#setRestarting(profileId, false);
      throw error;
    }
    void this.refresh();
  }

  /** Hides the current failure; the profile goes back to the stopped list. */
  dismiss(profileId: string): void {
    this.#setDismissed(profileId, failureKey(this.get(profileId)));
  }

  #changed(server: Server): void {
    if (isOlder(server, this.get(server.profile_id))) return;
    if (server.state === 'starting' || server.state === 'failed') this.#setRestarting(server.profile_id, false);
    this.list = upsertServer(this.list, server);
  }

  #setRestarting(id: string, on: boolean, baseline: string | null = null): void {
    this.#restarting = on ? mapWith(this.#restarting, id, baseline) : mapWithout(this.#restarting, id);
  }

  #setDismissed(id: string, key: string | null | undefined): void {
    this.#dismissed = key === undefined ? mapWithout(this.#dismissed, id) : mapWith(this.#dismissed, id, key);
  }
}

export const servers = new Servers();
