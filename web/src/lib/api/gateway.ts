import {
  AuditPage,
  AuditStats,
  ExplainResult,
  PatternCheckResult,
  Provider,
  ProviderList,
  ProviderTestResult,
  Route,
  RouteList,
  type CreateProviderRequest,
  type CreateRouteRequest,
  type RouteMatch,
  type UpdateProviderRequest,
  type UpdateRouteRequest,
} from '@mlx-manager/contract';
import type { ApiClient, QueryValue } from './client.js';

const id = (value: string) => encodeURIComponent(value);

/** `/api/providers`, `/api/routes`, `/api/audit`: the gateway's configuration and its log. */
export function createGatewayApi(client: ApiClient) {
  return {
    providers: {
      list: async (): Promise<Provider[]> => (await client.request('GET', '/api/providers', { response: ProviderList })).providers,
      create: (body: CreateProviderRequest) => client.request('POST', '/api/providers', { body, response: Provider }),
      update: (providerId: string, body: UpdateProviderRequest) => client.request('PATCH', `/api/providers/${id(providerId)}`, { body, response: Provider }),
      remove: (providerId: string) => client.request('DELETE', `/api/providers/${id(providerId)}`),
      test: (providerId: string) => client.request('POST', `/api/providers/${id(providerId)}/test`, { response: ProviderTestResult }),
    },
    routes: {
      list: async (): Promise<Route[]> => (await client.request('GET', '/api/routes', { response: RouteList })).routes,
      create: (body: CreateRouteRequest) => client.request('POST', '/api/routes', { body, response: Route }),
      update: (routeId: string, body: UpdateRouteRequest) => client.request('PATCH', `/api/routes/${id(routeId)}`, { body, response: Route }),
      remove: (routeId: string) => client.request('DELETE', `/api/routes/${id(routeId)}`),
      check: (match: RouteMatch, pattern: string) => client.request('POST', '/api/routes/check', { body: { match, pattern }, response: PatternCheckResult }),
      explain: (model: string) => client.request('POST', '/api/routes/explain', { body: { model }, response: ExplainResult }),
    },
    audit: {
      page: (query: Record<string, QueryValue>) => client.request('GET', '/api/audit', { query, response: AuditPage }),
      stats: (query: Record<string, QueryValue>) => client.request('GET', '/api/audit/stats', { query, response: AuditStats }),
    },
  };
}
export type GatewayApi = ReturnType<typeof createGatewayApi>;
