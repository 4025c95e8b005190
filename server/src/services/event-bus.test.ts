import { describe, expect, it } from 'vitest';
import { canSee, createEventBus, type BusMessage } from './event-bus.js';

describe('event bus', () => {
  it('delivers to subscribers until they unsubscribe, isolating a throwing listener', () => {
    const errors: unknown[] = [];
    const bus = createEventBus((e) => errors.push(e));
    const got: BusMessage[] = [];
    bus.subscribe(() => {
      throw new Error('bad listener');
    });
    const off = bus.subscribe((m) => got.push(m));
    bus.publish({ type: 'keys.changed' }, { kind: 'user', userId: 'u1' });
    off();
    bus.publish({ type: 'keys.changed' });
    expect(got).toEqual([{ event: { type: 'keys.changed' }, audience: { kind: 'user', userId: 'u1' } }]);
    expect(errors).toHaveLength(2);
    expect(bus.listenerCount).toBe(1);
  });

  it('audiences: all, admins only, one user', () => {
    const admin = { id: 'a', isAdmin: true };
    const user = { id: 'u', isAdmin: false };
    expect(canSee({ kind: 'all' }, user)).toBe(true);
    expect(canSee({ kind: 'admins' }, user)).toBe(false);
    expect(canSee({ kind: 'admins' }, admin)).toBe(true);
    expect(canSee({ kind: 'user', userId: 'u' }, user)).toBe(true);
    expect(canSee({ kind: 'user', userId: 'u' }, admin)).toBe(false);
  });

  it('audiences split in two: admins and one user, everyone else', () => {
    const viewers = [{ id: 'a', isAdmin: true }, { id: 'u', isAdmin: false }, { id: 'o', isAdmin: false }];
    const seen = (userId: string | null) => viewers.map((v) => [canSee({ kind: 'admins_and', userId }, v), canSee({ kind: 'not_admins_nor', userId }, v)]);
    expect(seen('u')).toEqual([[true, false], [true, false], [false, true]]);
    expect(seen(null)).toEqual([[true, false], [false, true], [false, true]]);
  });
});
