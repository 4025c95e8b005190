// The gateway's ports answer a busy client's request without a promise when what it needs is at
// hand (its key verified a moment ago, the model's routing built before) — and never with an
// answer that a change made stale: a route, a provider or a key that changed is looked up again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateProviderRequest, UpdateRouteRequest } from '@mlx-manager/contract';
import { createGatewayPorts } from '../../src/gateway/wiring.js';
import type { GatewayPorts, Resolution } from '../../src/gateway/ports.js';
import { startGatewayHarness, type GatewayHarness } from './harness.js';

let h: GatewayHarness;
let ports: GatewayPorts & { close(): void };
let routeId: string;
let providerId: string;

beforeAll(async () => {
  h = await startGatewayHarness();
  providerId = (await h.addProvider({ name: 'far', kind: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1' })).id;
  routeId = (await h.addRoute({ match: 'exact', pattern: 'at-hand', targets: [{ provider_id: providerId, model: 'first' }] })).id;
  ports = createGatewayPorts(h.ctx.services);
}, 60_000);

afterAll(async () => {
  ports?.close();
  await h?.close();
});

/** The answer, and whether it came without a promise. */
async function resolve(model: string): Promise<{ atHand: boolean; resolution: Resolution | null }> {
  const answer = ports.resolve(model);
  return { atHand: !(answer instanceof Promise), resolution: await answer };
}

const providerTarget = (r: Resolution | null) => {
  const t = r?.targets[0];
  if (t?.kind !== 'provider') throw new Error('expected a provider target');
  return t;
};

describe('gateway ports: answers at hand', () => {
  it('routes a model from memory once it was routed, the same answer each time', async () => {
    const first = await resolve('at-hand');
    expect(providerTarget(first.resolution).model).toBe('first');
    const again = await resolve('at-hand');
    expect(again.atHand).toBe(true);
    expect(again.resolution).toBe(first.resolution);
    expect(await resolve('no-such-model')).toEqual({ atHand: true, resolution: null });
  });

  it('looks the routing up again after a route or a provider changed', async () => {
    await h.ctx.services.routes.update(routeId, UpdateRouteRequest.parse({ targets: [{ provider_id: providerId, model: 'second' }] }));
    const afterRoute = await resolve('at-hand');
    expect(afterRoute.atHand).toBe(false);
    expect(providerTarget(afterRoute.resolution).model).toBe('second');
    await h.ctx.services.providers.update(providerId, UpdateProviderRequest.parse({ name: 'renamed' }));
    const afterProvider = await resolve('at-hand');
    expect(afterProvider.atHand).toBe(false);
    expect(providerTarget(afterProvider.resolution).name).toBe('renamed');
    expect((await resolve('at-hand')).atHand).toBe(true);
  });

  it('verifies a key from memory once verified, and not after it was revoked', async () => {
    const first = ports.verifyKey(h.key);
    const owner = await first;
    expect(owner?.userId).toBeTruthy();
    const again = ports.verifyKey(h.key);
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toEqual(owner);
    const keys = await h.ctx.services.apiKeys.list(owner!.userId);
    await h.ctx.services.apiKeys.revoke(owner!.userId, keys.find((k) => k.id === owner!.keyId)!.id);
    const revoked = ports.verifyKey(h.key);
    expect(revoked).toBeInstanceOf(Promise);
    expect(await revoked).toBeNull();
  });
});
