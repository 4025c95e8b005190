import { PendingCount, UserList, type UpdateUserRequest, type User } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

/** `/api/users/*` (admin): list, pending count, edit, delete, reset password. */
export function createUsersApi(client: ApiClient) {
  return {
    list: async (): Promise<User[]> => (await client.request('GET', '/api/users', { response: UserList })).users,

    pendingCount: async (): Promise<number> =>
      (await client.request('GET', '/api/users/pending-count', { response: PendingCount })).count,

    /** Applies only the keys given; callers reload the list afterwards. */
    update: (id: string, body: UpdateUserRequest) => client.request('PATCH', userPath(id), { body }),

    remove: (id: string) => client.request('DELETE', userPath(id)),

    resetPassword: (id: string, password: string) =>
      client.request('POST', `${userPath(id)}/reset-password`, { body: { password } }),
  };
}
export type UsersApi = ReturnType<typeof createUsersApi>;
