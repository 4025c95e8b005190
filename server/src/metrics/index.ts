import { Registry } from './prom.js';
import type { Services } from '../services/index.js';
import { gatewayMetrics } from './gateway-metrics.js';
import { stateMetrics, type StateSources } from './state-metrics.js';

export interface MetricsHandle {
  /** The exposition text and its content type. */
  render(): Promise<{ text: string; contentType: string }>;
  /** Stops observing the audit log. */
  close(): void;
}

/**
 * This instance's Prometheus metrics (one registry per app, never prom-client's global one, so two
 * apps in one process keep their own counts). Names and labels: docs/metrics.md.
 */
export function createMetrics(services: Pick<Services, 'audit' | 'servers' | 'downloads'>, streamClients: StateSources['streamClients']): MetricsHandle {
  const registry = new Registry();
  const gateway = gatewayMetrics(registry);
  stateMetrics(registry, { servers: services.servers, downloads: services.downloads, streamClients });
  const stop = services.audit.observe((entry) => gateway.observe(entry));
  return {
    async render() {
      return { text: await registry.metrics(), contentType: registry.contentType };
    },
    close: stop,
  };
}
