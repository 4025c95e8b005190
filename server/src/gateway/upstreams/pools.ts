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
  private readonly pools = new Map<string, Pool>();

  get(origin: string, options: PoolOptions): Pool {
    const key = `${options.connector ? 'guarded' : 'plain'} ${origin}`;
    let pool = this.pools.get(key);
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
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Drops the pool of an origin whose server went away (a stopped engine's port may be reused). */
  async forget(origin: string): Promise<void> {
    for (const [key, pool] of this.pools) {
      if (key.endsWith(` ${origin}`)) {
        this.pools.delete(key);
        await pool.destroy().catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
  }
}
