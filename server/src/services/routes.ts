// Routing rules: CRUD with patterns and targets checked at save, the explain dry run, and the
// cached routing input the data plane resolves every request against.
import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import type { CreateRouteRequest, ExplainResult, ExplainTarget, FieldIssue, Profile, Route, RouteMatch, RouteTarget, UpdateRouteRequest } from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { routesRepository } from '../db/repositories/routes.js';
import type { Database } from '../db/schema.js';
import type { RouteRow } from '../db/tables/gateway.js';
import { listRoutableNames, patternProblem, resolve, type RoutableName, type Resolution, type RoutingInput, type RoutingProfile } from '../gateway/routing/index.js';
import { isValidRepoId, parseRepoFolderName } from '../hub/cache-layout.js';
import { cachedValue } from './cached-value.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';
import type { ProvidersService } from './providers.js';

type CreateInput = z.output<typeof CreateRouteRequest>;
type UpdateInput = z.output<typeof UpdateRouteRequest>;

export interface RoutesDeps {
  db: Kysely<Database>;
  events: EventBus;
  profiles: { list(): Promise<Profile[]> };
  providers: Pick<ProvidersService, 'connections'>;
  /** The Hugging Face cache: a profile whose model is a path in it serves that repo. */
  cacheDir: string;
  now?: () => Date;
  cacheTtlMs?: number;
}

function toRoute(row: RouteRow): Route {
  return {
    id: row.id,
    match: row.match as RouteMatch,
    pattern: row.pattern,
    priority: Number(row.priority),
    targets: JSON.parse(row.targets) as RouteTarget[],
    enabled: Number(row.enabled) === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Model names whose routing is remembered per routing input (see `resolve`). */
const MAX_REMEMBERED_NAMES = 1000;

/** Pure: the repo a profile's model names — a repo id, or an absolute path inside the cache. */
export function profileRepoId(model: string, cacheDir: string): string | null {
  if (isValidRepoId(model)) return model;
  if (!isAbsolute(model)) return null;
  const rel = relative(cacheDir, model);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return parseRepoFolderName(rel.split(sep)[0] ?? '') ?? null;
}

export function createRoutesService(deps: RoutesDeps) {
  const repo = routesRepository(deps.db);
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const ttl = deps.cacheTtlMs ?? 5000;

  const rules = cachedValue(async () => (await repo.list()).map(toRoute), ttl);
  const input = cachedValue(async (): Promise<RoutingInput> => {
    const [routes, profiles, providers] = await Promise.all([rules.get(), deps.profiles.list(), deps.providers.connections()]);
    return {
      rules: routes,
      profiles: profiles.map((p): RoutingProfile => ({ id: p.id, name: p.name, repoId: profileRepoId(p.model, deps.cacheDir) })),
      providers: providers.map((p) => ({ id: p.id, name: p.name, models: p.models })),
    };
  }, ttl);
  /** The data plane's answers per model name, for one routing input (garbage with it). */
  const resolutions = new WeakMap<RoutingInput, Map<string, Resolution | null>>();
  /**
   * Remembered per model name for as long as this routing input lives: a new input (a route,
   * profile or provider changed, or the TTL re-read) starts an empty memo.
   */
  const remembered = (model: string, current: RoutingInput): Resolution | null => {
    let memo = resolutions.get(current);
    if (!memo) resolutions.set(current, (memo = new Map()));
    const known = memo.get(model);
    if (known !== undefined) return known;
    const found = resolve(model, current);
    // Bounded: names a client invents must not grow memory without limit.
    if (memo.size >= MAX_REMEMBERED_NAMES) memo.clear();
    memo.set(model, found);
    return found;
  };
  // Profiles and providers change elsewhere: drop the routing input when they do.
  const unsubscribe = deps.events.subscribe(({ event }) => {
    if (event.type === 'profiles.changed' || event.type === 'gateway.changed') input.invalidate();
  });

  const changed = () => {
    rules.invalidate();
    input.invalidate();
    deps.events.publish({ type: 'gateway.changed', what: 'routes' }, { kind: 'all' });
  };

  async function getRow(id: string): Promise<RouteRow> {
    const row = await repo.findById(id);
    if (!row) throw new AppError('not_found', `Route ${id} not found`);
    return row;
  }

  /** Field issues of a rule: its pattern compiles safely and every target exists. */
  async function issues(match: RouteMatch, pattern: string, targets: readonly RouteTarget[]): Promise<FieldIssue[]> {
    const found: FieldIssue[] = [];
    const problem = patternProblem(match, pattern);
    if (problem) found.push({ field: 'pattern', message: problem });
    const [profiles, providers] = await Promise.all([deps.profiles.list(), deps.providers.connections()]);
    const profileIds = new Set(profiles.map((p) => p.id));
    const providerIds = new Set(providers.map((p) => p.id));
    targets.forEach((t, i) => {
      if ('profile_id' in t && !profileIds.has(t.profile_id)) found.push({ field: `targets.${i}.profile_id`, message: `no profile ${t.profile_id}` });
      if ('provider_id' in t && !providerIds.has(t.provider_id)) found.push({ field: `targets.${i}.provider_id`, message: `no provider ${t.provider_id}` });
    });
    return found;
  }

  async function validate(match: RouteMatch, pattern: string, targets: readonly RouteTarget[]): Promise<void> {
    const found = await issues(match, pattern, targets);
    if (found.length > 0) throw new AppError('validation_failed', found.map((i) => `${i.field}: ${i.message}`).join('; '), found);
  }

  async function describe(model: string, r: Resolution | null): Promise<ExplainResult> {
    if (!r) return { model, matched: null, targets: [], missing: [] };
    const current = await input.get();
    const profileName = new Map(current.profiles.map((p) => [p.id, p.name]));
    const providerName = new Map((current.providers ?? []).map((p) => [p.id, p.name]));
    const targets = r.targets.map((t): ExplainTarget =>
      t.kind === 'profile'
        ? { kind: 'profile', profile_id: t.profileId, profile_name: profileName.get(t.profileId) ?? null, upstream_model: t.upstreamModel ?? null }
        : { kind: 'provider', provider_id: t.providerId, provider_name: providerName.get(t.providerId) ?? null, model: t.model },
    );
    const matched = r.via === 'rule' ? { kind: 'rule' as const, rule: r.rule as Route } : { kind: 'implicit' as const, via: r.by, profile_id: r.profileId };
    return { model, matched, targets, missing: r.missing };
  }

  return {
    async list(): Promise<Route[]> {
      return (await repo.list()).map(toRoute);
    },

    async get(id: string): Promise<Route> {
      return toRoute(await getRow(id));
    },

    async create(body: CreateInput): Promise<Route> {
      await validate(body.match, body.pattern, body.targets);
      const at = now();
      const row: RouteRow = {
        id: randomUUID(),
        match: body.match,
        pattern: body.pattern,
        priority: body.priority,
        targets: JSON.stringify(body.targets),
        enabled: body.enabled ? 1 : 0,
        created_at: at,
        updated_at: at,
      };
      await repo.insert(row);
      changed();
      return toRoute(row);
    },

    async update(id: string, patch: UpdateInput): Promise<Route> {
      const current = toRoute(await getRow(id));
      const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), updated_at: now() } as Route;
      await validate(next.match, next.pattern, next.targets);
      await repo.replace({ ...next, targets: JSON.stringify(next.targets), enabled: next.enabled ? 1 : 0 });
      changed();
      return next;
    },

    async remove(id: string): Promise<void> {
      if (!(await repo.delete(id))) throw new AppError('not_found', `Route ${id} not found`);
      changed();
    },

    /** The dry run of routing a model name: the matched rule (or implicit match) and ordered targets. */
    async explain(model: string): Promise<ExplainResult> {
      return describe(model, resolve(model, await input.get()));
    },

    /** Routing for one request (data plane): cached input, rules compiled once per change. */
    async resolve(model: string): Promise<Resolution | null> {
      return remembered(model, await input.get());
    },

    /** The same answer without waiting, or undefined when the routing input is not at hand (then call resolve). */
    resolveNow(model: string): Resolution | null | undefined {
      const current = input.peek();
      return current === undefined ? undefined : remembered(model, current);
    },

    /** Names for GET /v1/models. */
    async routableNames(): Promise<RoutableName[]> {
      return listRoutableNames(await input.get());
    },

    /** The current routing input (rules, profiles, providers), e.g. to add local repo ids. */
    routingInput(): Promise<RoutingInput> {
      return input.get();
    },

    close(): void {
      unsubscribe();
    },
  };
}

export type RoutesService = ReturnType<typeof createRoutesService>;
