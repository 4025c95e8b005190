import { z } from 'zod';

/*
 * Gateway configuration: cloud / remote providers, routing rules, the explain dry run and the
 * audit log. See docs/gateway-config.md for how a model name is resolved.
 */

export const ProviderKind = z.enum(['openai', 'anthropic', 'openai-compatible']);
export type ProviderKind = z.infer<typeof ProviderKind>;

/**
 * Where the provider answers. OpenAI-style kinds include the API version path (as the OpenAI SDK's
 * `baseURL`, e.g. `http://127.0.0.1:11434/v1`); Anthropic's is the origin (`/v1/messages` is added).
 * No credentials, query or fragment: the key goes in `api_key`, never in the URL.
 */
export const BaseUrl = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must use http or https' });
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain credentials (use api_key)' });
    if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'must not contain a query or fragment' });
  })
  .transform((value) => value.replace(/\/+$/, ''));

const timeoutMs = z.number().int().min(100).max(24 * 3600 * 1000).nullable();

/** Per-provider timeouts in milliseconds; null = the gateway's cloud default. */
export const ProviderTimeouts = z
  .object({
    connect_ms: timeoutMs.default(null),
    /** Time to the first token (or the first byte of a non-streamed answer). */
    ttft_ms: timeoutMs.default(null),
    /** Longest silence between two chunks of a stream. */
    idle_ms: timeoutMs.default(null),
    total_ms: timeoutMs.default(null),
  })
  .strict();
export type ProviderTimeouts = z.infer<typeof ProviderTimeouts>;

const providerName = z.string().trim().min(1).max(100);

/** US dollars per million tokens; null = not priced (its cost shows as unknown, not zero). */
const perMillion = z.number().min(0).max(1_000_000).nullable();

/** What one provider model costs. Empty by default: no built-in table to go stale. */
export const ModelPrice = z.object({ input_per_mtok: perMillion, output_per_mtok: perMillion }).strict();
export type ModelPrice = z.infer<typeof ModelPrice>;

/** Prices keyed by the model name sent upstream (as listed in the provider's `models`). */
export const ModelPrices = z.record(z.string().trim().min(1).max(300), ModelPrice).refine((r) => Object.keys(r).length <= 1000, 'at most 1000 priced models');
export type ModelPrices = z.infer<typeof ModelPrices>;
const modelName = z.string().trim().min(1).max(300);
const apiKey = z.string().trim().min(1).max(4000);

/** A provider as read: the key itself is never returned, only a hint like `sk-…abcd`. */
export const Provider = z.object({
  id: z.string(),
  name: z.string(),
  kind: ProviderKind,
  base_url: z.string(),
  api_key_hint: z.string().nullable(),
  /** Model names the admin declared or imported from the provider's model list. */
  models: z.array(z.string()),
  /** Price per million input/output tokens per model; `{}` until an admin sets one. */
  prices: ModelPrices,
  timeouts: ProviderTimeouts,
  created_at: z.string(),
  updated_at: z.string(),
});
export type Provider = z.infer<typeof Provider>;

export const ProviderList = z.object({ providers: z.array(Provider) });
export type ProviderList = z.infer<typeof ProviderList>;

/** POST /api/providers. `api_key` is write-only; local servers (Ollama, LM Studio) need none. */
export const CreateProviderRequest = z
  .object({
    name: providerName,
    kind: ProviderKind,
    base_url: BaseUrl,
    api_key: apiKey.optional(),
    models: z.array(modelName).max(1000).default([]),
    prices: ModelPrices.default({}),
    timeouts: ProviderTimeouts.default({ connect_ms: null, ttft_ms: null, idle_ms: null, total_ms: null }),
  })
  .strict();
export type CreateProviderRequest = z.input<typeof CreateProviderRequest>;

/** PATCH /api/providers/{id}: keys present are applied; `api_key: null` removes the key. */
export const UpdateProviderRequest = z
  .object({
    name: providerName.optional(),
    kind: ProviderKind.optional(),
    base_url: BaseUrl.optional(),
    api_key: apiKey.nullable().optional(),
    models: z.array(modelName).max(1000).optional(),
    /** Replaces the whole price table. */
    prices: ModelPrices.optional(),
    timeouts: ProviderTimeouts.partial().strict().optional(),
  })
  .strict();
export type UpdateProviderRequest = z.input<typeof UpdateProviderRequest>;

/** POST /api/providers/{id}/test: the models the provider lists, or why it could not be reached. */
export const ProviderTestResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), models: z.array(z.string()), duration_ms: z.number() }),
  z.object({
    ok: z.literal(false),
    /** dns | refused | tls | unauthorized | http | ssrf | timeout | network | bad_response */
    reason: z.enum(['dns', 'refused', 'tls', 'unauthorized', 'http', 'ssrf', 'timeout', 'network', 'bad_response']),
    status: z.number().optional(),
    message: z.string(),
    duration_ms: z.number(),
  }),
]);
export type ProviderTestResult = z.infer<typeof ProviderTestResult>;

export const RouteMatch = z.enum(['exact', 'prefix', 'regex']);
export type RouteMatch = z.infer<typeof RouteMatch>;

const id = z.string().trim().min(1).max(200);

/** A route target: a local profile, or a provider with an optional model rewrite. */
export const RouteTarget = z.union([
  z.object({ profile_id: id }).strict(),
  z.object({ provider_id: id, model: modelName.optional() }).strict(),
]);
export type RouteTarget = z.infer<typeof RouteTarget>;

/** Longest pattern accepted; regexes are further limited by the server (no nested quantifiers). */
export const ROUTE_PATTERN_MAX = 200;

const routeFields = {
  match: RouteMatch,
  pattern: z.string().min(1).max(ROUTE_PATTERN_MAX),
  /** Higher runs first; equal priorities go to the more specific rule (exact, longer prefix…). */
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  /** The first target is primary, the rest are fallbacks tried in order. */
  targets: z.array(RouteTarget).min(1).max(10),
  enabled: z.boolean(),
};

export const Route = z.object({ id: z.string(), ...routeFields, created_at: z.string(), updated_at: z.string() });
export type Route = z.infer<typeof Route>;

export const RouteList = z.object({ routes: z.array(Route) });
export type RouteList = z.infer<typeof RouteList>;

export const CreateRouteRequest = z
  .object({ ...routeFields, priority: routeFields.priority.default(0), enabled: routeFields.enabled.default(true) })
  .strict();
export type CreateRouteRequest = z.input<typeof CreateRouteRequest>;

export const UpdateRouteRequest = z
  .object({
    match: routeFields.match.optional(),
    pattern: routeFields.pattern.optional(),
    priority: routeFields.priority.optional(),
    targets: routeFields.targets.optional(),
    enabled: routeFields.enabled.optional(),
  })
  .strict();
export type UpdateRouteRequest = z.input<typeof UpdateRouteRequest>;

/** POST /api/routes/check: is this pattern acceptable (the route form checks it as it is typed)? */
export const PatternCheckRequest = z.object({ match: RouteMatch, pattern: z.string().max(10_000) }).strict();
export type PatternCheckRequest = z.infer<typeof PatternCheckRequest>;

/** `problem`: why the server would refuse the pattern, or null when it is accepted. */
export const PatternCheckResult = z.object({ problem: z.string().nullable() });
export type PatternCheckResult = z.infer<typeof PatternCheckResult>;

export const ExplainRequest = z.object({ model: z.string().min(1).max(1000) }).strict();
export type ExplainRequest = z.infer<typeof ExplainRequest>;

export const ExplainTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('profile'), profile_id: z.string(), profile_name: z.string().nullable(), upstream_model: z.string().nullable() }),
  z.object({ kind: z.literal('provider'), provider_id: z.string(), provider_name: z.string().nullable(), model: z.string() }),
]);
export type ExplainTarget = z.infer<typeof ExplainTarget>;

/** POST /api/routes/explain: which rule (or implicit profile match) a model name hits, and where it goes. */
export const ExplainResult = z.object({
  model: z.string(),
  /** null: nothing matches (a request for this model would get 404). */
  matched: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('rule'), rule: Route }),
      z.object({ kind: z.literal('implicit'), via: z.enum(['profile_name', 'repo_id']), profile_id: z.string() }),
    ])
    .nullable(),
  targets: z.array(ExplainTarget),
  /** Targets a rule names that no longer exist (deleted profile or provider): skipped at request time. */
  missing: z.array(z.string()),
});
export type ExplainResult = z.infer<typeof ExplainResult>;

/** Which kind of backend served (or failed) a request. */
export const AuditBackend = z.enum(['local', 'openai', 'anthropic', 'openai-compatible']);
export type AuditBackend = z.infer<typeof AuditBackend>;

/** One attempt of a request on one target (the last hop is the one that answered, if any). */
export const AuditHop = z.object({
  backend: AuditBackend,
  target_id: z.string(),
  target_model: z.string().nullable(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number(),
});
export type AuditHop = z.infer<typeof AuditHop>;

export const AuditRecord = z.object({
  id: z.string(),
  time: z.string(),
  user_id: z.string().nullable(),
  api_key_id: z.string().nullable(),
  endpoint: z.string(),
  requested_model: z.string(),
  rule_id: z.string().nullable(),
  backend: AuditBackend.nullable(),
  /** Profile id or provider id of the target that answered last. */
  target_id: z.string().nullable(),
  /** The model name sent upstream. */
  target_model: z.string().nullable(),
  status: z.number().int(),
  duration_ms: z.number(),
  ttft_ms: z.number().nullable(),
  tokens_in: z.number().int().nullable(),
  tokens_out: z.number().int().nullable(),
  hops: z.array(AuditHop),
  error: z.string().nullable(),
  /**
   * US dollars at the provider's current prices; 0 for local models; null when a needed price is not
   * set. Always present in answers (optional only because the data plane's entries carry none).
   */
  cost_usd: z.number().nullable().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time').transform((s) => new Date(s).toISOString());

/**
 * GET /api/audit filters. `status`: an HTTP status (`429`), a class (`5xx`), `ok` (below 400) or
 * `error` (400 and above). Non-admins only ever see their own records.
 */
export const AuditQuery = z
  .object({
    model: z.string().min(1).max(1000).optional(),
    backend: AuditBackend.optional(),
    status: z.string().regex(/^(ok|error|[1-5]xx|[1-5]\d\d)$/, 'must be ok, error, a status like 429 or a class like 5xx').optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    user_id: z.string().min(1).max(200).optional(),
    cursor: z.string().min(1).max(500).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type AuditQuery = z.output<typeof AuditQuery>;

/** GET /api/audit/stats: the same filters over a time range (default the last hour), no paging. */
export const AuditStatsQuery = AuditQuery.omit({ cursor: true, limit: true })
  .extend({
    /** Width of one chart bucket; default picked from the range (about 60 buckets). */
    bucket_seconds: z.coerce.number().int().min(10).max(86_400).optional(),
  })
  .strict();
export type AuditStatsQuery = z.output<typeof AuditStatsQuery>;

/** One chart bucket starting at `start` (ISO). Latencies in ms, null when the bucket has no request. */
export const AuditBucket = z.object({
  start: z.string(),
  ok: z.number().int(),
  client_errors: z.number().int(),
  server_errors: z.number().int(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  ttft_p50_ms: z.number().nullable(),
  tokens_in: z.number().int(),
  tokens_out: z.number().int(),
});
export type AuditBucket = z.infer<typeof AuditBucket>;

/** Totals per requested model over the range. `cost_usd` is null when some priced-provider record had no price. */
export const AuditModelStats = z.object({
  model: z.string(),
  requests: z.number().int(),
  errors: z.number().int(),
  tokens_in: z.number().int(),
  tokens_out: z.number().int(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  cost_usd: z.number().nullable(),
});
export type AuditModelStats = z.infer<typeof AuditModelStats>;

export const AuditStats = z.object({
  since: z.string(),
  until: z.string(),
  bucket_seconds: z.number().int(),
  totals: z.object({
    requests: z.number().int(),
    errors: z.number().int(),
    tokens_in: z.number().int(),
    tokens_out: z.number().int(),
    cost_usd: z.number(),
    /** Records in the range whose cost is unknown (no price set); not counted in cost_usd. */
    unpriced: z.number().int(),
  }),
  buckets: z.array(AuditBucket),
  models: z.array(AuditModelStats),
  /** True when the range held more records than one stats query reads (the newest were used). */
  truncated: z.boolean(),
});
export type AuditStats = z.infer<typeof AuditStats>;

export const AuditPage = z.object({ records: z.array(AuditRecord), next_cursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

/** Providers or routes changed (admins' pages reload them). */
export const GatewayChangedEvent = z.object({ type: z.literal('gateway.changed'), what: z.enum(['providers', 'routes']) });
export type GatewayChangedEvent = z.infer<typeof GatewayChangedEvent>;

/** Audit records just written (batched); admins get every record, other users their own. */
export const AuditRecordedEvent = z.object({ type: z.literal('audit.recorded'), records: z.array(AuditRecord) });
export type AuditRecordedEvent = z.infer<typeof AuditRecordedEvent>;
