import {
  LoginResponse,
  MeResponse,
  RegisterResponse,
  SetupStatus,
  type LoginRequest,
  type RegisterRequest,
  type User,
} from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

/** `/api/auth/*`: register, login (sets the session cookie), logout, current user. */
export function createAuthApi(client: ApiClient) {
  return {
    register: (body: RegisterRequest) =>
      client.request('POST', '/api/auth/register', { body, response: RegisterResponse, redirectOn401: false }),

    // A 401 here is "wrong password", an answer for the form: never a redirect.
    login: (body: LoginRequest) =>
      client.request('POST', '/api/auth/login', { body, response: LoginResponse, redirectOn401: false }),

    logout: () => client.request('POST', '/api/auth/logout', { redirectOn401: false }),

    /** Public: whether any account exists yet and whether registering is open (the first screen's words). */
    setupStatus: () => client.request('GET', '/api/auth/setup-status', { response: SetupStatus, redirectOn401: false }),

    /** The signed-in user; the caller decides what a 401 means (the guard redirects). */
    me: async (): Promise<User> =>
      (await client.request('GET', '/api/auth/me', { response: MeResponse, redirectOn401: false })).user,
  };
}
export type AuthApi = ReturnType<typeof createAuthApi>;
