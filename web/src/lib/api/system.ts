import { SystemInfo } from '@mlx-manager/contract';
import type { ApiClient } from './client.js';

/** `GET /api/system`: OS, CPU, machine memory and the engines found with their versions. */
export function createSystemApi(client: ApiClient) {
  return {
    info: () => client.request('GET', '/api/system', { response: SystemInfo }),
  };
}
export type SystemApi = ReturnType<typeof createSystemApi>;
