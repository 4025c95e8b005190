import type { Selectable } from 'kysely';

/** Cloud / remote providers. `api_key` is sealed (db/sealed-columns.ts); `models` is a JSON list. */
export interface ProvidersTable {
  id: string;
  name: string;
  kind: string;
  base_url: string;
  api_key: string | null;
  api_key_hint: string | null;
  models: string;
  /** JSON object: model → { input_per_mtok, output_per_mtok } (US dollars per million tokens). */
  prices: string;
  connect_timeout_ms: number | null;
  ttft_timeout_ms: number | null;
  idle_timeout_ms: number | null;
  total_timeout_ms: number | null;
  created_at: string;
  updated_at: string;
}

/** Routing rules. `targets` is a JSON list; `enabled` is 0/1 on both dialects. */
export interface RoutesTable {
  id: string;
  match: string;
  pattern: string;
  priority: number;
  targets: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** One row per gateway request. `hops` is a JSON list of attempts. */
export interface AuditTable {
  id: string;
  time: string;
  user_id: string | null;
  api_key_id: string | null;
  endpoint: string;
  requested_model: string;
  rule_id: string | null;
  backend: string | null;
  target_id: string | null;
  target_model: string | null;
  status: number;
  duration_ms: number;
  ttft_ms: number | null;
  tokens_in: number | null;
  tokens_out: number | null;
  hops: string;
  error: string | null;
}

export interface GatewayTables {
  providers: ProvidersTable;
  routes: RoutesTable;
  audit: AuditTable;
}

export type ProviderRow = Selectable<ProvidersTable>;
export type RouteRow = Selectable<RoutesTable>;
export type AuditRow = Selectable<AuditTable>;
