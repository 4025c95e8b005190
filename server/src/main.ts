/*
 * Composition root: the only place that wires concrete pieces together.
 * Order: database → migrations → services → HTTP app → listen. Other areas add their
 * services (download manager, supervisor…) in `createAppContext` and their shutdown in `close`.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.js';
import { appVersion } from './config/version.js';
import { createDatabase, type DatabaseHandle } from './db/connect.js';
import { openSseStreamCount } from './http/sse.js';
import { expandAuditBatch } from './db/audit-batch.js';
import { SqliteWriter } from './db/sqlite-writer.js';
import { onceEvery } from './services/repeat-filter.js';
import { migrateToLatest } from './db/migrate.js';
import { buildApp } from './http/app.js';
import { defaultWebRoot } from './http/static-web.js';
import { createCoreServices, type EnginesWiring, type GatewayWiring, type ModelsWiring, type Services } from './services/index.js';

export interface StartOptions {
  /** false silences request logging (tests). */
  logger?: boolean;
  /** Where the log goes (default stderr as JSON); the CLI passes a readable stream on a terminal. */
  logStream?: NodeJS.WritableStream;
  /** Web build folder; null serves no web app; default `web/build` of this checkout. */
  webRoot?: string | null;
  /** Install SIGINT/SIGTERM handlers that close gracefully (the CLI does; tests do not). */
  handleSignals?: boolean;
  /** Models area wiring (hub client, cache folder, in-use check); default: from the HF_* env vars. */
  models?: ModelsWiring;
  /** Engines area wiring (where engines are searched, grace period, metrics interval). */
  engines?: EnginesWiring;
  /** Gateway configuration wiring (DNS for the SSRF checks, audit flush interval). */
  gateway?: GatewayWiring;
}

export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  services: Services;
  app: FastifyInstance;
  /** Stops accepting requests, then releases services and the database (idempotent). */
  close(): Promise<void>;
}

export async function createAppContext(config: Config, opts: StartOptions = {}): Promise<AppContext> {
  const database = createDatabase(config);
  try {
    await migrateToLatest(database.db);
    // An audit batch is announced only while some event stream is open to receive it. The log is
    // written on every /v1 request: into an SQLite file, under load from a thread of its own.
    const auditWriter = database.sqliteFile ? new SqliteWriter(database.sqliteFile, { unpack: expandAuditBatch }) : undefined;
    // The audit log's write failures go to the app's log once there is one (a batch that could not
    // be written stays queued; a writer thread that failed hands its batches to the main connection).
    let auditLog: ((err: unknown) => void) | null = null;
    const gateway = {
      auditHasAudience: () => openSseStreamCount() > 0,
      auditOnError: (err: unknown) => auditLog?.(err),
      ...(auditWriter ? { auditWriter } : {}),
      ...opts.gateway,
    };
    const services = await createCoreServices(config, database.db, undefined, opts.models, opts.engines, gateway);
    // Downloads a previous run left unfinished continue by themselves.
    services.downloads.resumeUnfinished();
    // Engines a crashed manager left are reaped (or adopted); start-on-boot profiles start.
    await services.servers.boot();
    const app = await buildApp({
      config,
      services,
      version: appVersion(),
      webRoot: opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot,
      ...(opts.logger === undefined ? {} : { logger: opts.logger }),
      ...(opts.logStream === undefined ? {} : { logStream: opts.logStream }),
    });
    auditLog = onceEvery(60_000, (err) => app.log.error({ err }, 'audit log: a write failed (the same failure is logged at most once a minute)'));
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await app.close();
        // Engines stop with the manager (SIGTERM to each group, SIGKILL after the grace period).
        await services.servers.close();
        // Running downloads stop but stay unfinished in the database: the next start resumes them.
        await services.downloads.close();
        // Queued audit records are written while the database is still open.
        services.routes.close();
        services.settings.close();
        await services.audit.close();
        await database.destroy();
      })());
    return { config, database, services, app, close };
  } catch (err) {
    await database.destroy();
    throw err;
  }
}

export interface RunningServer extends AppContext {
  url: string;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const ctx = await createAppContext(config, opts);
  try {
    await ctx.app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await ctx.close();
    throw err;
  }
  const address = ctx.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const running: RunningServer = { ...ctx, url: `http://${host}:${port}` };
  if (opts.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      ctx.app.log.info({ signal }, 'shutting down');
      ctx.close().then(
        () => process.exit(0),
        (err: unknown) => {
          ctx.app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return running;
}
