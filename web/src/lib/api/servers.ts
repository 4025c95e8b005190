import { LogTail, ServerList, type Server } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

const serverPath = (profileId: string) => `/api/servers/${encodeURIComponent(profileId)}`;

/** `/api/servers/*`: one server entry per profile, whatever its state; start/stop/restart; logs. */
export function createServersApi(client: ApiClient) {
  return {
    list: async (): Promise<Server[]> => (await client.request('GET', '/api/servers', { response: ServerList })).servers,

    /*
     * Actions answer as soon as the transition is queued; the new states arrive as
     * `server.changed` events, so their bodies are not needed here.
     */
    /** Joins a start in progress. */
    start: (profileId: string) => client.request('POST', `${serverPath(profileId)}/start`),

    /** `force` skips the grace period (SIGKILL at once). */
    stop: (profileId: string, force = false) =>
      client.request('POST', `${serverPath(profileId)}/stop`, { query: { force: force ? 'true' : undefined } }),

    restart: (profileId: string) => client.request('POST', `${serverPath(profileId)}/restart`),

    /** The last `lines` lines of the engine's log (live lines come from `logsStreamUrl`). */
    logs: async (profileId: string, lines = 200): Promise<string[]> =>
      (await client.request('GET', `${serverPath(profileId)}/logs`, { query: { lines }, response: LogTail })).lines,
  };
}

/** The SSE address of an engine's live log (EventSource sends the session cookie). */
export function logsStreamUrl(profileId: string, lines = 200): string {
  return `${serverPath(profileId)}/logs?follow=true&lines=${lines}`;
}
export type ServersApi = ReturnType<typeof createServersApi>;
