import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../http/deps.js';
import type { FirstLook } from '../http/node-server.js';
import { DEFAULT_HEARTBEAT, type HeartbeatOptions } from './dispatch/client-stream.js';
import type { DispatchContext } from './dispatch/run.js';
import { protocolTranslator } from './dispatch/translate.js';
import type { GatewayPorts } from './ports.js';
import { directEntry } from './routes/direct-entry.js';
import { inferenceRoutes } from './routes/inference.js';
import { modelsRoutes } from './routes/models.js';
import { ThroughputMeter } from './throughput.js';
import { UpstreamPools } from './upstreams/pools.js';
import { guardedConnector } from './ssrf.js';
import { createGatewayPorts } from './wiring.js';

/** Seconds a client is told to wait when no specific hint came with an acquire failure. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** Knobs of the data plane that tests (and later, config) set. */
export interface GatewayOptions {
  heartbeat?: HeartbeatOptions;
  /** Replaces the ports built over the services (tests of the dispatcher alone). */
  ports?: GatewayPorts;
  /** Where generation speed samples go (default: a meter readable as `app.gatewayThroughput`). */
  throughput?: ThroughputMeter;
  /** Headers every whole answer of the direct entry carries (the app's security headers). */
  securityHeaders?: Readonly<Record<string, string>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Tokens per second per local profile, measured from the requests the gateway served. */
    gatewayThroughput: ThroughputMeter;
    /** Answers the inference requests of API-key clients before Fastify routes them (routes/direct-entry.ts). */
    gatewayDirectEntry: FirstLook;
  }
}

/** The whole `/v1` surface: models list and the five inference endpoints, one upstream pool set. */
export function gatewayRoutes(options: GatewayOptions = {}): FastifyPluginAsync<AppDeps> {
  // Not encapsulated, so `app.gatewayThroughput` is visible to the whole app.
  return fp(async (app: FastifyInstance, deps: AppDeps) => {
    const meter = options.throughput ?? new ThroughputMeter();
    const built = options.ports ? null : createGatewayPorts(deps.services, (id, tokens, ms) => meter.observe(id, tokens, ms));
    const ports = options.ports ?? built!;
    const pools = new UpstreamPools();
    const context: DispatchContext = {
      ports,
      pools,
      translator: protocolTranslator(),
      // Every provider connection re-checks where its host name resolves now (DNS rebinding).
      guardedConnector: (timeoutMs) => guardedConnector(() => ({ allowPrivate: deps.services.settings.get().gateway_allow_private_upstreams }), { timeout: timeoutMs }),
      heartbeat: options.heartbeat ?? DEFAULT_HEARTBEAT,
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
      log: app.log,
    };
    // Read by whoever publishes engine metrics (the servers service); see docs/gateway-data-plane.md ("Throughput").
    app.decorate('gatewayThroughput', meter);
    const bodyLimit = deps.config.gateway_body_limit_bytes;
    app.decorate('gatewayDirectEntry', directEntry({ context, bodyLimit, baseHeaders: options.securityHeaders ?? {}, log: app.log }));
    app.addHook('onClose', async () => {
      built?.close();
      await pools.close();
    });
    await app.register(modelsRoutes, { ports });
    await app.register(inferenceRoutes, { context, bodyLimit });
  }, { name: 'mlxm-gateway' });
}
