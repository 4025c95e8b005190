import type { buildConnector } from 'undici';
import { Pool } from '../../net/undici.js';

/** How a pool opens its sockets: plain (our own engines on loopback) or through the SSRF guard. */
export interface PoolOptions {
  connectTimeoutMs: number;
  /** Builds a connector that re-checks every resolved address (providers); null for local engines. */
  connector: ((connectTimeoutMs: number) => buildConnector.connector) | null;
}

/**
 * One keep-alive connection pool per upstream origin, created on first use and closed with the
 * app. Timeouts other than connect are enforced per request by the dispatcher, so undici's own
 * header/body timers are switched off here.
 */
export class UpstreamPools {
  /** By origin, for plain and guarded sockets apart (a lookup per request: no key is built). */
  private readonly plain = new Map<string, Pool>();
  private readonly guarded = new Map<string, Pool>();

  get(origin: string, options: PoolOptions): Pool {
    const pools = options.connector ? this.guarded : this.plain;
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        // Generous: every open stream holds a connection, and 512 at once must not queue.
        connections: 1024,
        keepAliveTimeout: 30_000,
        headersTimeout: 0,
        bodyTimeout: 0,
        connectTimeout: options.connectTimeoutMs,
        // A custom connector carries its own connect timeout (undici ignores the pool's then).
        ...(options.connector ? { connect: options.connector(options.connectTimeoutMs) } : {}),
      });
      pools.set(origin, pool);
    }
    return pool;
  }

  /** Drops the pool of an origin whose server went away (a stopped engine's port may be reused). */
  async forget(origin: string): Promise<void> {
    for (const pools of [this.plain, this.guarded]) {
      const pool = pools.get(origin);
      if (!pool) continue;
      pools.delete(origin);
      await pool.destroy().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const all = [...this.plain.values(), ...this.guarded.values()];
    this.plain.clear();
    this.guarded.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
  }
}
