import { Profile, ProfileList, type CreateProfileRequest, type UpdateProfileRequest } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

const profilePath = (id: string) => `/api/profiles/${encodeURIComponent(id)}`;

/** `/api/profiles/*`: server profiles (how to run one model with one engine). */
export function createProfilesApi(client: ApiClient) {
  return {
    list: async (): Promise<Profile[]> => (await client.request('GET', '/api/profiles', { response: ProfileList })).profiles,

    get: (id: string) => client.request('GET', profilePath(id), { response: Profile }),

    /** `port` omitted → the server assigns the next free one. */
    create: (body: CreateProfileRequest) => client.request('POST', '/api/profiles', { body, response: Profile }),

    /** Keys present are applied; `null` clears a nullable field. */
    update: (id: string, body: UpdateProfileRequest) => client.request('PATCH', profilePath(id), { body, response: Profile }),

    /** Stops a running server first. */
    remove: (id: string) => client.request('DELETE', profilePath(id)),

    duplicate: (id: string, name?: string) =>
      client.request('POST', `${profilePath(id)}/duplicate`, { body: name === undefined ? {} : { name }, response: Profile }),
  };
}
export type ProfilesApi = ReturnType<typeof createProfilesApi>;
