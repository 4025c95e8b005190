import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

/*
 * The three prom-client classes the server uses, each from its own file. prom-client's entry also
 * loads its default process metrics (with @opentelemetry/api), the push gateway, the cluster
 * aggregator and Summary: ~80 modules an idle server would carry for nothing (docs/memory.md).
 */
const require = createRequire(import.meta.url);

export const Registry = require('prom-client/lib/registry.js') as typeof PromClient.Registry;
export const Counter = require('prom-client/lib/counter.js') as typeof PromClient.Counter;
export const Gauge = require('prom-client/lib/gauge.js') as typeof PromClient.Gauge;
