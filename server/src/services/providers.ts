// Cloud and remote providers: CRUD with the API key sealed at rest and never returned, base URLs
// checked against SSRF at save, a connection test, and cached connections for the data plane.
import { randomUUID } from 'node:crypto';
import type { CreateProviderRequest, ModelPrice, ModelPrices, Provider, ProviderKind, ProviderTestResult, ProviderTimeouts, UpdateProviderRequest } from '@mlx-manager/contract';
import type { z } from 'zod';
import type { Kysely } from 'kysely';
import { providersRepository } from '../db/repositories/providers.js';
import { routesRepository } from '../db/repositories/routes.js';
import type { Database } from '../db/schema.js';
import type { ProviderRow } from '../db/tables/gateway.js';
import { checkBaseUrl, systemResolveAll, type ResolveAll, type SsrfPolicy } from '../gateway/ssrf.js';
import { cachedValue } from './cached-value.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';
import { probeProvider } from './provider-probe.js';
import { secretHint, type SecretBox } from './secret-box.js';

type CreateInput = z.output<typeof CreateProviderRequest>;
type UpdateInput = z.output<typeof UpdateProviderRequest>;

export interface ProvidersDeps {
  db: Kysely<Database>;
  events: EventBus;
  secrets: Pick<SecretBox, 'seal' | 'open'>;
  /** Read on every check, so a settings change applies at once. */
  ssrfPolicy: () => SsrfPolicy;
  /** DNS for the save-time check and the connection test (tests pass a table). */
  resolveAll?: ResolveAll;
  now?: () => Date;
  /** How long connections are cached before re-reading (other instances may write). */
  cacheTtlMs?: number;
}

/** What the data plane needs to call a provider: the key in clear, for this process only. */
export interface ProviderConnection {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKey: string | null;
  models: string[];
  timeouts: ProviderTimeouts;
}

function timeoutsOf(row: ProviderRow): ProviderTimeouts {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return { connect_ms: n(row.connect_timeout_ms), ttft_ms: n(row.ttft_timeout_ms), idle_ms: n(row.idle_timeout_ms), total_ms: n(row.total_timeout_ms) };
}

function toProvider(row: ProviderRow): Provider {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ProviderKind,
    base_url: row.base_url,
    api_key_hint: row.api_key_hint,
    models: JSON.parse(row.models) as string[],
    prices: JSON.parse(row.prices) as ModelPrices,
    timeouts: timeoutsOf(row),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const uniqueViolation = (err: unknown) => /unique|duplicate key/i.test((err as Error).message ?? '');

export function createProvidersService(deps: ProvidersDeps) {
  const repo = providersRepository(deps.db);
  const resolveAll = deps.resolveAll ?? systemResolveAll;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();

  const connectionOf = (row: ProviderRow): ProviderConnection => {
    const p = toProvider(row);
    let apiKey: string | null = null;
    try {
      apiKey = row.api_key === null ? null : deps.secrets.open(row.api_key);
    } catch {
      // Sealed under another master key (restored backup, lost key file): this provider gets no key
      // (its upstream answers 401, which the test reports) instead of every route failing.
    }
    return { id: p.id, name: p.name, kind: p.kind, baseUrl: p.base_url, apiKey, models: p.models, timeouts: p.timeouts };
  };

  const connections = cachedValue(async () => {
    const map = new Map<string, ProviderConnection>();
    for (const row of await repo.list()) map.set(row.id, connectionOf(row));
    return map;
  }, deps.cacheTtlMs ?? 5000);

  const prices = cachedValue(async () => new Map((await repo.list()).map((row) => [row.id, JSON.parse(row.prices) as ModelPrices])), deps.cacheTtlMs ?? 5000);

  const changed = () => {
    connections.invalidate();
    prices.invalidate();
    deps.events.publish({ type: 'gateway.changed', what: 'providers' }, { kind: 'admins' });
  };

  async function getRow(id: string): Promise<ProviderRow> {
    const row = await repo.findById(id);
    if (!row) throw new AppError('not_found', `Provider ${id} not found`);
    return row;
  }

  async function checkUrl(baseUrl: string): Promise<void> {
    const check = await checkBaseUrl(baseUrl, deps.ssrfPolicy(), resolveAll);
    // A name that does not resolve now (offline) is accepted: every connection is checked again.
    if (!check.ok && check.reason === 'ssrf') throw new AppError('validation_failed', `base_url refused: ${check.message}`, [{ field: 'base_url', message: check.message }]);
  }

  async function checkName(name: string, selfId: string | null): Promise<void> {
    const other = await repo.findByName(name);
    if (other && other.id !== selfId) throw new AppError('conflict', `A provider named "${name}" already exists`, [{ field: 'name', message: 'already used' }]);
  }

  async function write(op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (err) {
      if (uniqueViolation(err)) throw new AppError('conflict', 'A provider with this name already exists', [{ field: 'name', message: 'already used' }]);
      throw err;
    }
  }

  function keyColumns(apiKey: string | null): Pick<ProviderRow, 'api_key' | 'api_key_hint'> {
    return apiKey === null ? { api_key: null, api_key_hint: null } : { api_key: deps.secrets.seal(apiKey), api_key_hint: secretHint(apiKey) };
  }

  return {
    async list(): Promise<Provider[]> {
      return (await repo.list()).map(toProvider);
    },

    async get(id: string): Promise<Provider> {
      return toProvider(await getRow(id));
    },

    async create(input: CreateInput): Promise<Provider> {
      await checkName(input.name, null);
      await checkUrl(input.base_url);
      const at = now();
      const row: ProviderRow = {
        id: randomUUID(),
        name: input.name,
        kind: input.kind,
        base_url: input.base_url,
        ...keyColumns(input.api_key ?? null),
        models: JSON.stringify([...new Set(input.models)]),
        prices: JSON.stringify(input.prices),
        connect_timeout_ms: input.timeouts.connect_ms,
        ttft_timeout_ms: input.timeouts.ttft_ms,
        idle_timeout_ms: input.timeouts.idle_ms,
        total_timeout_ms: input.timeouts.total_ms,
        created_at: at,
        updated_at: at,
      };
      await write(() => repo.insert(row));
      changed();
      return toProvider(row);
    },

    async update(id: string, patch: UpdateInput): Promise<Provider> {
      const row = await getRow(id);
      if (patch.name !== undefined) await checkName(patch.name, id);
      if (patch.base_url !== undefined) await checkUrl(patch.base_url);
      const t = patch.timeouts ?? {};
      const next: ProviderRow = {
        ...row,
        name: patch.name ?? row.name,
        kind: patch.kind ?? row.kind,
        base_url: patch.base_url ?? row.base_url,
        ...(patch.api_key === undefined ? {} : keyColumns(patch.api_key)),
        models: patch.models === undefined ? row.models : JSON.stringify([...new Set(patch.models)]),
        prices: patch.prices === undefined ? row.prices : JSON.stringify(patch.prices),
        connect_timeout_ms: t.connect_ms === undefined ? row.connect_timeout_ms : t.connect_ms,
        ttft_timeout_ms: t.ttft_ms === undefined ? row.ttft_timeout_ms : t.ttft_ms,
        idle_timeout_ms: t.idle_ms === undefined ? row.idle_timeout_ms : t.idle_ms,
        total_timeout_ms: t.total_ms === undefined ? row.total_timeout_ms : t.total_ms,
        updated_at: now(),
      };
      await write(() => repo.replace(next));
      changed();
      return toProvider(next);
    },

    /** Refused while a route targets the provider: the route would silently lose a target. */
    async remove(id: string): Promise<void> {
      await getRow(id);
      const users = (await routesRepository(deps.db).list()).filter((r) => (JSON.parse(r.targets) as { provider_id?: string }[]).some((t) => t.provider_id === id));
      if (users.length > 0) {
        throw new AppError('conflict', `Provider is used by ${users.length} route(s): ${users.map((r) => r.pattern).join(', ')} — remove it from them first`, { routes: users.map((r) => r.id) });
      }
      await repo.delete(id);
      changed();
    },

    /** Lists the provider's models, or says why it could not (DNS, refused, TLS, 401, SSRF, timeout…). */
    async test(id: string): Promise<ProviderTestResult> {
      return probeProvider(connectionOf(await getRow(id)), { policy: deps.ssrfPolicy, resolveAll });
    },

    /** A provider ready to call (key in clear), or undefined; cached for the data plane's hot path. */
    async connection(id: string): Promise<ProviderConnection | undefined> {
      return (await connections.get()).get(id);
    },

    /** Every provider ready to call by id, when at hand without waiting (else undefined: call connection). */
    connectionsNow(): ReadonlyMap<string, ProviderConnection> | undefined {
      return connections.peek();
    },

    /** The price of one provider model, or undefined when none is set (cached like connections). */
    async price(providerId: string, model: string): Promise<ModelPrice | undefined> {
      return (await prices.get()).get(providerId)?.[model];
    },

    /** Every provider ready to call (routing needs their ids and declared models). */
    async connections(): Promise<ProviderConnection[]> {
      return [...(await connections.get()).values()];
    },
  };
}

export type ProvidersService = ReturnType<typeof createProvidersService>;
