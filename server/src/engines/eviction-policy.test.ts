import { describe, expect, it } from 'vitest';
import { budgetBytes, chooseVictims, idleUnloadDelay, type LoadedModel } from './eviction-policy.js';

const m = (id: string, sizeBytes: number, lastUsedAt: number, inFlight = 0): LoadedModel => ({ id, sizeBytes, inFlight, lastUsedAt });

describe('chooseVictims', () => {
  const cases: { name: string; budget: number | null; loaded: LoadedModel[]; incoming: number; victims: string[]; fits: boolean }[] = [
    { name: 'no budget: never evicts', budget: null, loaded: [m('a', 90, 1)], incoming: 50, victims: [], fits: true },
    { name: 'fits as is', budget: 100, loaded: [m('a', 40, 1)], incoming: 60, victims: [], fits: true },
    { name: 'nothing loaded, fits', budget: 100, loaded: [], incoming: 100, victims: [], fits: true },
    { name: 'least recently used idle goes first', budget: 100, loaded: [m('new', 40, 20), m('old', 40, 10)], incoming: 50, victims: ['old'], fits: true },
    { name: 'as many as needed, oldest first', budget: 100, loaded: [m('a', 30, 3), m('b', 30, 1), m('c', 30, 2)], incoming: 70, victims: ['b', 'c'], fits: true },
    { name: 'a busy model is never a victim, even the oldest', budget: 100, loaded: [m('busy', 50, 1, 2), m('idle', 40, 9)], incoming: 40, victims: ['idle'], fits: true },
    { name: 'only busy models: nothing evicted, does not fit', budget: 100, loaded: [m('a', 60, 1, 1), m('b', 30, 2, 1)], incoming: 40, victims: [], fits: false },
    { name: 'even every idle one is not enough: evict nothing', budget: 100, loaded: [m('busy', 70, 1, 1), m('idle', 20, 2)], incoming: 50, victims: [], fits: false },
    { name: 'incoming alone larger than the budget', budget: 100, loaded: [m('a', 10, 1)], incoming: 150, victims: [], fits: false },
    { name: 'unknown sizes (0) are not evicted for room', budget: 100, loaded: [m('unknown', 0, 1), m('known', 60, 2)], incoming: 60, victims: ['known'], fits: true },
    { name: 'ties in last use are broken by id', budget: 100, loaded: [m('b', 50, 5), m('a', 50, 5)], incoming: 50, victims: ['a'], fits: true },
    { name: 'exactly the budget fits', budget: 100, loaded: [m('a', 50, 1)], incoming: 50, victims: [], fits: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(chooseVictims(c.budget, c.loaded, c.incoming)).toEqual({ victims: c.victims, fits: c.fits });
    });
  }
});

describe('idleUnloadDelay', () => {
  it.each([
    { ttl: 0, inFlight: 0, last: 0, now: 10_000, want: null },
    { ttl: 10, inFlight: 1, last: 0, now: 60_000, want: null },
    { ttl: 10, inFlight: 0, last: 1000, now: 4000, want: 7000 },
    { ttl: 10, inFlight: 0, last: 1000, now: 11_000, want: 0 },
    { ttl: 10, inFlight: 0, last: 1000, now: 99_000, want: 0 },
  ])('ttl $ttl s, $inFlight in flight, last use $last, now $now → $want', ({ ttl, inFlight, last, now, want }) => {
    expect(idleUnloadDelay(ttl, inFlight, last, now)).toBe(want);
  });
});

describe('budgetBytes', () => {
  it('is a fraction of machine memory, null without one', () => {
    expect(budgetBytes(24 * 1024 ** 3, 0.75)).toBe(18 * 1024 ** 3);
    expect(budgetBytes(1000, 1)).toBe(1000);
    expect(budgetBytes(1000, null)).toBeNull();
    expect(budgetBytes(1000, 0)).toBeNull();
  });
});
