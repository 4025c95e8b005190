import type { Metric, Registry } from 'prom-client';
import { LabelHistogram } from './label-histogram.js';
import { Counter } from './prom.js';
import type { AuditEntry } from '../services/audit.js';

/** Distinct `model` label values kept; further names count as `_other` (clients choose the name). */
export const MAX_MODEL_LABELS = 200;

/** Seconds: from a fast local answer to a long cloud stream. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const TTFT_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

/**
 * The gateway's request counters and histograms, fed one audit entry at a time (the audit service
 * sees every `/v1` request the moment it finishes, so no hook in the data plane is needed).
 */
export function gatewayMetrics(registry: Registry) {
  const labels = ['model', 'backend', 'status'] as const;
  // Request and token counts are added up here and handed to prom-client when the metrics are
  // read (its `collect`): prom-client hashes and checks the labels on every call, and these are
  // counted on every /v1 request.
  const requestCounts = pendingCounts();
  const tokenCounts = pendingCounts();
  const requests = new Counter({
    name: 'mlxm_gateway_requests_total', help: 'Gateway requests by requested model, backend kind and HTTP status', labelNames: labels, registers: [registry],
    collect: () => requestCounts.drain((l, v) => requests.inc(l, v)),
  });
  // The histograms too: a label set is named by a key made once (see label-histogram.ts).
  const duration = new LabelHistogram({ name: 'mlxm_gateway_request_duration_seconds', help: 'Gateway request duration', buckets: DURATION_BUCKETS });
  const ttft = new LabelHistogram({ name: 'mlxm_gateway_ttft_seconds', help: 'Time to the first token (or first byte of an answer)', buckets: TTFT_BUCKETS });
  // It writes what prom-client's Registry reads from any metric (get, name, help, type).
  for (const histogram of [duration, ttft]) registry.registerMetric(histogram as unknown as Metric);
  const tokens = new Counter({
    name: 'mlxm_gateway_tokens_total', help: 'Tokens by direction (in = prompt, out = completion)', labelNames: ['model', 'backend', 'direction'], registers: [registry],
    collect: () => tokenCounts.drain((l, v) => tokens.inc(l, v)),
  });
  const failovers = new Counter({ name: 'mlxm_gateway_failovers_total', help: 'Times a request moved on to its next target', labelNames: ['model'], registers: [registry] });
  const models = new Set<string>();

  const modelLabel = (name: string): string => {
    if (models.has(name)) return name;
    if (models.size >= MAX_MODEL_LABELS) return '_other';
    models.add(name);
    return name;
  };

  return {
    observe(entry: AuditEntry): void {
      const model = modelLabel(entry.requested_model);
      const backend = entry.backend ?? 'none';
      const status = String(entry.status);
      const key = `${model}\0${backend}\0${status}`;
      requestCounts.add(key, () => ({ model, backend, status }), 1);
      duration.observe(key, () => ({ model, backend, status }), entry.duration_ms / 1000);
      if (entry.ttft_ms !== null) ttft.observe(`${model}\0${backend}`, () => ({ model, backend }), entry.ttft_ms / 1000);
      if (entry.tokens_in) tokenCounts.add(`${model}\0${backend}\0in`, () => ({ model, backend, direction: 'in' }), entry.tokens_in);
      if (entry.tokens_out) tokenCounts.add(`${model}\0${backend}\0out`, () => ({ model, backend, direction: 'out' }), entry.tokens_out);
      if (entry.hops.length > 1) failovers.inc({ model }, entry.hops.length - 1);
    },
  };
}

/** Counter increments added up per label set until prom-client reads them. */
function pendingCounts() {
  const pending = new Map<string, { labels: Record<string, string>; value: number }>();
  return {
    /** `labels` is called only for a label set not yet pending. */
    add(key: string, labels: () => Record<string, string>, value: number): void {
      const known = pending.get(key);
      if (known) known.value += value;
      else pending.set(key, { labels: labels(), value });
    },
    drain(inc: (labels: Record<string, string>, value: number) => void): void {
      for (const { labels, value } of pending.values()) inc(labels, value);
      pending.clear();
    },
  };
}
