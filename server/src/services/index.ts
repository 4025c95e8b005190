import { totalmem } from 'node:os';
import type { Kysely } from 'kysely';
import type { HubInEffect } from '@mlx-manager/contract';
import type { Config } from '../config/schema.js';
import type { Database } from '../db/schema.js';
import { createCatalog, type Catalog } from '../hub/catalog.js';
import { createHubContext, type HubContext } from '../hub/context.js';
import { hubInEffectView } from './hub-in-effect.js';
import { modelRefersTo } from '../hub/model-ref.js';
import { createApiKeysService, type ApiKeysService } from './api-keys.js';
import { createAuditService, type AuditService } from './audit.js';
import type { PackedAuditBatch } from '../db/audit-batch.js';
import type { SqlWriter } from '../db/sqlite-writer.js';
import { createChatsService, type ChatsService } from './chats.js';
import { createDownloadsService, type DownloadsDeps, type DownloadsService } from './downloads.js';
import { createEventBus, type EventBus } from './event-bus.js';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js';
import { loadOrCreateSecret } from './secrets.js';
import { createSecretBox, type SecretBox } from './secret-box.js';
import { ThroughputMeter } from '../gateway/throughput.js';
import { createSessions, type Sessions } from './sessions.js';
import { createSettingsService, type SettingsService } from './settings.js';
import { createUsersService, type UsersService } from './users.js';
import { EngineDiscovery, projectVenvBin } from '../engines/launchers/discover.js';
import { budgetBytes } from '../engines/eviction-policy.js';
import { modelSizeOnDisk } from '../engines/model-size.js';
import { Supervisor } from '../engines/supervisor.js';
import { engineHubEnv } from '../engines/hub-env.js';
import { createProfilesService, type ProfilesService } from './profiles.js';
import { resolveProfileModel } from './profile-model.js';
import { createProvidersService, type ProvidersService } from './providers.js';
import { createRoutesService, type RoutesService } from './routes.js';
import type { ResolveAll } from '../gateway/ssrf.js';
import { createServersService, type ServersService } from './servers.js';
import { createSystemService, type SystemService } from './system.js';

/**
 * Every service the routes use. Other areas add their service here (one field) and build it
 * in `createCoreServices` or in main.ts.
 */
export interface Services {
  events: EventBus;
  /** Seals secrets stored in the database (provider keys, profile env values) under the master key. */
  secrets: SecretBox;
  sessions: Sessions;
  /** Decode speed per local profile, measured by the gateway (gateway/throughput.ts). */
  throughput: ThroughputMeter;
  /** Runtime settings an admin changes while the server runs (cached; `settings.get()`). */
  settings: SettingsService;
  throttle: LoginThrottle;
  users: UsersService;
  apiKeys: ApiKeysService;
  /** Hub search/detail and local models (hub/catalog.ts). */
  catalog: Catalog;
  /** The hub endpoint and token in effect and where they come from (the Settings page). */
  hubInEffect: () => HubInEffect;
  downloads: DownloadsService;
  /** Server profiles, running engines (supervisor), machine and engines found. */
  profiles: ProfilesService;
  servers: ServersService;
  system: SystemService;
  /** Gateway configuration: providers (sealed keys, SSRF-checked URLs), routing rules, audit log. */
  providers: ProvidersService;
  routes: RoutesService;
  audit: AuditService;
  /** Chat playground history, per user. */
  chats: ChatsService;
}

/** Optional wiring of the gateway's configuration (tests resolve names from a table). */
export interface GatewayWiring {
  resolveAll?: ResolveAll;
  auditFlushIntervalMs?: number;
  /** Whether an event stream could receive `audit.recorded` now (default: always announce). */
  auditHasAudience?: () => boolean;
  /** Writes the audit log off the event loop (an SQLite file); the audit service closes it. */
  auditWriter?: SqlWriter<PackedAuditBatch>;
  /** Hears the audit log's write failures (default: the background error handler, if any). */
  auditOnError?: (err: unknown) => void;
}

/** Optional wiring of the engines area (tests point discovery at the fake engines). */
export interface EnginesWiring {
  /** Folder searched for engine executables before PATH; default the project's `.venv/bin`. */
  venvBin?: string | null;
  pathEnv?: string;
  stopGraceMs?: number;
  metricsIntervalMs?: number;
}

/** Optional wiring of the models area (tests inject a fake hub; engines supply isModelInUse). */
export interface ModelsWiring {
  hub?: HubContext;
  /** The environment the hub variables are read from (default process.env); tests pass their own. */
  hubEnv?: Readonly<Record<string, string | undefined>>;
  isModelInUse?: (repo: string) => boolean | Promise<boolean>;
  downloader?: DownloadsDeps['downloader'];
  totalMemoryBytes?: number;
}

export async function createCoreServices(
  config: Config,
  db: Kysely<Database>,
  onListenerError?: (err: unknown) => void,
  models: ModelsWiring = {},
  engines: EnginesWiring = {},
  gateway: GatewayWiring = {},
): Promise<Services> {
  const events = createEventBus(onListenerError);
  const sessions = createSessions(await loadOrCreateSecret(config.home, 'jwt.key', config.jwt_secret));
  const secrets = createSecretBox(await loadOrCreateSecret(config.home, 'master.key', config.master_key));
  const settings = await createSettingsService({ db, events, secrets });
  const throttle = createLoginThrottle();
  const users = createUsersService({ db, sessions, throttle, events, settings });
  const apiKeys = createApiKeysService({ db, events });
  // The hub endpoint and token of the Settings page win over HF_ENDPOINT / HF_TOKEN (docs/hub.md).
  const hub = models.hub ?? (await createHubContext(models.hubEnv ?? process.env, { overrides: () => settings.get() }));
  // `client` is read at each use (a getter), so a settings change applies to the next search or download.
  const downloads = createDownloadsService({
    db, events, get client() { return hub.client; }, cacheDir: hub.cacheDir, offline: hub.offline, onError: onListenerError,
    ...(models.downloader ? { downloader: models.downloader } : {}),
  });
  const catalog = createCatalog({
    get client() { return hub.client; }, cacheDir: hub.cacheDir, offline: hub.offline, totalMemoryBytes: models.totalMemoryBytes ?? totalmem(),
    isDownloading: (repo) => downloads.isDownloading(repo),
    onLocalChange: () => events.publish({ type: 'models.changed' }),
    // Default: a profile whose engine is not stopped/failed and whose model is this repo (id or cache path).
    isModelInUse: models.isModelInUse ?? (async (repo) => {
      const active = new Set(supervisor.list().filter((st) => st.state !== 'stopped' && st.state !== 'failed').map((st) => st.profileId));
      if (active.size === 0) return false;
      return (await profiles.list()).some((p) => active.has(p.id) && modelRefersTo(p.model, repo, hub.cacheDir));
    }),
  });
  const venvBin = engines.venvBin === undefined ? (config.engines_bin ?? projectVenvBin()) : engines.venvBin;
  const discovery = new EngineDiscovery({ venvBin, ...(engines.pathEnv === undefined ? {} : { pathEnv: engines.pathEnv }) });
  const supervisor = new Supervisor({
    dataDir: config.home, discovery, ...(engines.stopGraceMs === undefined ? {} : { stopGraceMs: engines.stopGraceMs }),
    // Read before each load, so a changed setting applies to the next one.
    memoryBudgetBytes: () => budgetBytes(models.totalMemoryBytes ?? totalmem(), settings.get().memory_budget_fraction),
    modelSize: (profile) => modelSizeOnDisk(profile.model, hub.cacheDir),
    // An engine that fetches a repo id itself uses the token, endpoint and cache our downloads use.
    hubEnv: () => engineHubEnv({
      ...(hub.inEffect?.() ?? { endpoint: { value: hub.endpoint, source: 'environment' }, token: { value: undefined } }),
      cacheDir: hub.cacheDir,
    }),
  });
  const profiles = createProfilesService({ db, events, secrets, defaultPortStart: config.default_port_start });
  // The gateway feeds it (answers it relayed); the servers service reads it for each engine's speed.
  const throughput = new ThroughputMeter();
  const servers = createServersService({
    supervisor, profiles, events, adoptOrphans: config.adopt_orphans,
    resolveModel: (p) => resolveProfileModel(p, hub.cacheDir),
    tokensPerSecond: (id) => throughput.tokensPerSecond(id),
    ...(engines.metricsIntervalMs === undefined ? {} : { metricsIntervalMs: engines.metricsIntervalMs }),
    ...(onListenerError ? { onError: (err: unknown) => onListenerError(err) } : {}),
  });
  const system = createSystemService(discovery, venvBin);
  const providers = createProvidersService({
    db, events, secrets, ssrfPolicy: () => ({ allowPrivate: settings.get().gateway_allow_private_upstreams }),
    ...(gateway.resolveAll ? { resolveAll: gateway.resolveAll } : {}),
  });
  const routes = createRoutesService({ db, events, profiles, providers, cacheDir: hub.cacheDir });
  const auditOnError = gateway.auditOnError ?? onListenerError;
  const audit = createAuditService({
    db, retentionDays: () => settings.get().audit_retention_days, events, prices: (id, model) => providers.price(id, model),
    ...(auditOnError ? { onError: auditOnError } : {}),
    ...(gateway.auditFlushIntervalMs === undefined ? {} : { flushIntervalMs: gateway.auditFlushIntervalMs }),
    ...(gateway.auditHasAudience ? { hasAudience: gateway.auditHasAudience } : {}),
    ...(gateway.auditWriter ? { writer: gateway.auditWriter } : {}),
  });
  const chats = createChatsService({ db });
  return { events, secrets, throughput, sessions, settings, throttle, users, apiKeys, catalog, hubInEffect: () => hubInEffectView(hub), downloads, profiles, servers, system, providers, routes, audit, chats };
}
