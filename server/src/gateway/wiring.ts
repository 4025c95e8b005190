import type { Profile } from '@mlx-manager/contract';
import type { Services } from '../services/index.js';
import type { TimeoutOverrides } from './policy/timeouts.js';
import type { AuditEntry, GatewayPorts, GatewayTarget, Lease, ProviderKind, Resolution } from './ports.js';
import { listRoutableNames, resolve, type RoutingInput, type RoutingRule } from './routing/index.js';

/** A provider as the data plane needs it (key decrypted only when a request goes there). */
export interface ProviderRecord {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  models: readonly string[];
  timeouts: TimeoutOverrides;
}

/** The gateway-config services (providers, routes, audit) as seen from the data plane. */
export interface GatewayConfigSources {
  rules(): Promise<RoutingRule[]>;
  providers(): Promise<ProviderRecord[]>;
  providerKey(id: string): Promise<string | null>;
  record(entry: AuditEntry): void;
}

/** Without gateway config: only profile names and repo ids route; audit records are dropped. */
export const NO_GATEWAY_CONFIG: GatewayConfigSources = {
  rules: async () => [],
  providers: async () => [],
  providerKey: async () => null,
  record: () => undefined,
};

/** Events after which the cached routing input is rebuilt. */
const ROUTING_EVENTS = new Set(['profiles.changed', 'gateway.changed', 'routes.changed', 'providers.changed']);

/** A repo id (`org/name`), as opposed to an absolute path a profile may name. */
const REPO_ID = /^[\w.-]+\/[\w.-]+$/;

interface Snapshot {
  input: RoutingInput;
  profiles: Map<string, Profile>;
  providers: Map<string, ProviderRecord>;
}

/**
 * The gateway's ports over the real services. The routing input (profiles, rules, providers) is
 * read once and kept until one of them changes (event bus), so a request costs no query.
 */
export function createGatewayPorts(
  services: Pick<Services, 'apiKeys' | 'users' | 'settings' | 'profiles' | 'servers' | 'events'>,
  config: GatewayConfigSources,
  observeThroughput: GatewayPorts['observeThroughput'] = () => undefined,
): GatewayPorts & { close(): void } {
  let snapshot: Promise<Snapshot> | null = null;
  const unsubscribe = services.events.subscribe(({ event }) => {
    if (ROUTING_EVENTS.has(event.type)) snapshot = null;
  });

  async function load(): Promise<Snapshot> {
    const [profiles, rules, providers] = await Promise.all([services.profiles.list(), config.rules(), config.providers()]);
    const input: RoutingInput = {
      rules,
      profiles: profiles.map((p) => ({ id: p.id, name: p.name, repoId: REPO_ID.test(p.model) ? p.model : null })),
      providers: providers.map((p) => ({ id: p.id, name: p.name, models: p.models })),
    };
    return { input, profiles: new Map(profiles.map((p) => [p.id, p])), providers: new Map(providers.map((p) => [p.id, p])) };
  }
  const current = (): Promise<Snapshot> => {
    const pending = snapshot ?? load();
    snapshot = pending;
    pending.catch(() => {
      if (snapshot === pending) snapshot = null;
    });
    return pending;
  };

  return {
    async verifyKey(key) {
      const v = await services.apiKeys.verify(key);
      return v ? { userId: v.userId, keyId: v.keyId } : null;
    },
    async verifySession(token) {
      try {
        const user = await services.users.authenticate(token);
        return { userId: user.id };
      } catch {
        return null;
      }
    },
    async openOnLoopback() {
      return services.settings.get().v1_open_on_loopback;
    },
    async resolve(model): Promise<Resolution | null> {
      const snap = await current();
      const found = resolve(model, snap.input);
      if (!found) return null;
      const targets: GatewayTarget[] = [];
      for (const t of found.targets) {
        if (t.kind === 'profile') {
          const p = snap.profiles.get(t.profileId);
          if (p) targets.push({ kind: 'local', profileId: p.id, name: p.name, engine: p.engine });
        } else {
          const p = snap.providers.get(t.providerId);
          if (p) {
            targets.push({
              kind: 'provider', providerId: p.id, name: p.name, providerKind: p.kind, baseUrl: p.baseUrl,
              apiKey: await config.providerKey(p.id), model: t.model, timeouts: p.timeouts,
            });
          }
        }
      }
      return { ruleId: found.via === 'rule' ? found.rule.id : null, targets };
    },
    async modelNames() {
      return listRoutableNames((await current()).input).map((n) => n.name);
    },
    acquire(profileId: string, signal: AbortSignal): Promise<Lease> {
      return services.servers.acquire(profileId, signal);
    },
    record: (entry) => config.record(entry),
    observeThroughput,
    close: unsubscribe,
  };
}
