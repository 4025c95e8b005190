import type { Profile, ProviderTimeouts } from '@mlx-manager/contract';
import { hashApiKey } from '../services/api-keys.js';
import { cachedValue } from '../services/cached-value.js';
import type { Services } from '../services/index.js';
import type { ProviderConnection } from '../services/providers.js';
import { KeyCache } from './key-cache.js';
import type { TimeoutOverrides } from './policy/timeouts.js';
import type { GatewayPorts, GatewayTarget, Lease, Resolution } from './ports.js';

/** Events after which the cached profile list is read again. */
const PROFILE_EVENTS = new Set(['profiles.changed']);
/** Events after which remembered keys are verified again (a key revoked, a user disabled). */
const KEY_EVENTS = new Set(['keys.changed', 'users.changed', 'session.revoked']);

/** Pure: a provider's stored timeouts (null = default) as overrides of the cloud defaults. */
export function providerTimeouts(t: ProviderTimeouts): TimeoutOverrides {
  const out: TimeoutOverrides = {};
  if (t.connect_ms !== null) out.connectMs = t.connect_ms;
  if (t.ttft_ms !== null) out.firstTokenMs = t.ttft_ms;
  if (t.idle_ms !== null) out.idleMs = t.idle_ms;
  if (t.total_ms !== null) out.totalMs = t.total_ms;
  return out;
}

/** What routing answers for a model name (before its targets are looked up). */
type RoutingAnswer = NonNullable<Awaited<ReturnType<Services['routes']['resolve']>>>;

export type GatewayServices = Pick<Services, 'apiKeys' | 'users' | 'settings' | 'profiles' | 'servers' | 'events' | 'routes' | 'providers' | 'audit'>;

/**
 * The gateway's ports over the real services. Routing and providers are cached by their own
 * services; the profiles (for each target's name and engine) are cached here until they change,
 * so a request costs no query.
 */
export function createGatewayPorts(services: GatewayServices, observeThroughput: GatewayPorts['observeThroughput'] = () => undefined): GatewayPorts & { close(): void } {
  /** The profiles (each target's name and engine), loaded once and again after they change. */
  const profiles = cachedValue(async () => new Map((await services.profiles.list()).map((p) => [p.id, p])), Infinity);
  /** Per routing answer (routes are remembered per model name), the resolution last built from it. */
  const built = new WeakMap<object, { byId: Map<string, Profile>; connections: (ProviderConnection | undefined)[]; resolution: Resolution }>();
  const keys = new KeyCache<{ userId: string; keyId: string }>();
  const unsubscribe = services.events.subscribe(({ event }) => {
    if (PROFILE_EVENTS.has(event.type)) profiles.invalidate();
    if (KEY_EVENTS.has(event.type)) keys.clear();
  });

  /**
   * The resolution built before from this routing answer, if the profiles and provider
   * connections it was built from are still the ones at hand (null: build it again).
   */
  const stillBuilt = (found: RoutingAnswer, byId: Map<string, Profile>, connectionAt: (target: number) => ProviderConnection | undefined): Resolution | null => {
    const known = built.get(found);
    if (!known || known.byId !== byId) return null;
    for (let i = 0; i < found.targets.length; i++) if (connectionAt(i) !== known.connections[i]) return null;
    return known.resolution;
  };

  async function resolveSlowly(model: string): Promise<Resolution | null> {
    const found = await services.routes.resolve(model);
    if (!found) return null;
    const byId = await profiles.get();
    // The same routing answer over the same profiles and connections resolves alike: the targets
    // are built once (and the upstream adapters with them, see upstreams/index.ts).
    const connections: (ProviderConnection | undefined)[] = [];
    for (const t of found.targets) connections.push(t.kind === 'provider' ? await services.providers.connection(t.providerId) : undefined);
    const known = stillBuilt(found, byId, (i) => connections[i]);
    if (known) return known;
    const targets: GatewayTarget[] = [];
    found.targets.forEach((t, i) => {
      if (t.kind === 'profile') {
        const p = byId.get(t.profileId);
        if (p) targets.push({ kind: 'local', profileId: p.id, name: p.name, engine: p.engine });
        return;
      }
      const c = connections[i];
      if (c) {
        targets.push({
          kind: 'provider', providerId: c.id, name: c.name, providerKind: c.kind, baseUrl: c.baseUrl,
          apiKey: c.apiKey, model: t.model, timeouts: providerTimeouts(c.timeouts),
        });
      }
    });
    const resolution: Resolution = { ruleId: found.via === 'rule' ? found.rule.id : null, targets };
    built.set(found, { byId, connections, resolution });
    return resolution;
  }

  return {
    verifyKey(key) {
      // Remembered by hash: the key itself stays out of long-lived memory. A remembered key is
      // answered without a promise (every /v1 request asks).
      const hash = hashApiKey(key);
      const known = keys.get(hash);
      if (known) return known;
      return services.apiKeys.verify(key).then((v) => {
        if (!v) return null;
        const found = { userId: v.userId, keyId: v.keyId };
        keys.set(hash, found);
        return found;
      });
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
    resolve(model) {
      // The hot path: routing, profiles and providers all at hand, and this answer built before.
      const found = services.routes.resolveNow(model);
      const byId = profiles.peek();
      const connectionsNow = services.providers.connectionsNow();
      if (found === null) return null;
      if (found !== undefined && byId && connectionsNow) {
        const known = stillBuilt(found, byId, (i) => {
          const t = found.targets[i]!;
          return t.kind === 'provider' ? connectionsNow.get(t.providerId) : undefined;
        });
        if (known) return known;
      }
      return resolveSlowly(model);
    },
    async modelNames() {
      return (await services.routes.routableNames()).map((n) => n.name);
    },
    acquire(profileId: string, signal: AbortSignal): Promise<Lease> {
      return services.servers.acquire(profileId, signal);
    },
    record: (entry) => services.audit.record(entry),
    observeThroughput,
    close: unsubscribe,
  };
}
