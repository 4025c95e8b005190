import type { AuditRecord, EngineKind } from '@mlx-manager/contract';
import type { TimeoutOverrides } from './policy/timeouts.js';

/*
 * The narrow seams the gateway's data plane stands on. Each is implemented in wiring.ts over the
 * services (profiles, servers, providers, routes, audit, settings), so the request path never
 * touches the database or the supervisor directly and tests can plug in their own.
 */

/** Who is calling `/v1`. `keyId` is null for a session cookie or the open-loopback mode. */
export interface GatewayCaller {
  userId: string | null;
  keyId: string | null;
  via: 'api-key' | 'session' | 'open-loopback';
}

/** A local profile, served through a lease from the supervisor. */
export interface LocalTarget {
  kind: 'local';
  profileId: string;
  /** The profile's name, shown in the audit log as the backend. */
  name: string;
  engine: EngineKind;
  timeouts?: TimeoutOverrides;
}

export type ProviderKind = 'openai' | 'anthropic' | 'openai-compatible';

/** A cloud or remote provider, with the model it is asked for (after any rewrite). */
export interface ProviderTarget {
  kind: 'provider';
  providerId: string;
  name: string;
  providerKind: ProviderKind;
  baseUrl: string;
  /** Decrypted on demand; never logged, never returned. */
  apiKey: string | null;
  model: string;
  timeouts?: TimeoutOverrides;
}

export type GatewayTarget = LocalTarget | ProviderTarget;

/** Where a model name goes: the rule that matched (null for a profile name or repo id) and ordered targets. */
export interface Resolution {
  ruleId: string | null;
  targets: GatewayTarget[];
}

/** A started engine held for one request; `release()` ends the request's claim (idempotent). */
export interface Lease {
  baseUrl: string;
  upstreamModel: string;
  release(): void;
}

/**
 * One audit row as the data plane knows it: the contract's AuditRecord without its id and its
 * cost (the audit service prices it from the provider's table). Written in batches off the hot path.
 */
export type AuditEntry = Omit<AuditRecord, 'id' | 'cost_usd' | 'time'> & { time: Date | string | number };

/**
 * A value, or a promise of it when it must be looked up. The ports asked on every `/v1` request
 * answer at once from what they remember: an `await` per request costs a promise and a turn of
 * the microtask queue each, on the path every request takes.
 */
export type Maybe<T> = T | Promise<T>;

export interface GatewayPorts {
  /** A gateway API key's owner, or null when the key is unknown. */
  verifyKey(key: string): Maybe<{ userId: string; keyId: string } | null>;
  /** The user of a session token (cookie), or null. */
  verifySession(token: string): Promise<{ userId: string } | null>;
  /** The admin setting that lets loopback clients in without a key (off by default). */
  openOnLoopback(): Promise<boolean>;
  /** Null when no profile, repo id or rule knows the name. */
  resolve(model: string): Maybe<Resolution | null>;
  /** Every name a client may put in `model`. */
  modelNames(): Promise<string[]>;
  acquire(profileId: string, signal: AbortSignal): Promise<Lease>;
  record(entry: AuditEntry): void;
  /** Generation speed of one finished local request (tokens per second are derived from these). */
  observeThroughput(profileId: string, outputTokens: number, generationMs: number): void;
}
