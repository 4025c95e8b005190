import { SettingsResponse, type Settings, type SettingsPatch } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

/** `/api/settings` (admin): every runtime setting, and a change of some of them. */
export function createSettingsApi(client: ApiClient) {
  return {
    get: async (): Promise<Settings> => (await client.request('GET', '/api/settings', { response: SettingsResponse })).settings,

    /** The settings with the hub values in effect and where each comes from. */
    view: async (): Promise<SettingsResponse> => client.request('GET', '/api/settings', { response: SettingsResponse }),

    /** Like `update`, answering the hub values in effect too. */
    change: async (patch: SettingsPatch): Promise<SettingsResponse> =>
      client.request('PATCH', '/api/settings', { body: patch, response: SettingsResponse }),

    /** Sends only the keys given; answers every setting as stored afterwards. */
    update: async (patch: SettingsPatch): Promise<Settings> =>
      (await client.request('PATCH', '/api/settings', { body: patch, response: SettingsResponse })).settings,
  };
}
export type SettingsApi = ReturnType<typeof createSettingsApi>;
