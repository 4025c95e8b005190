import { describe, expect, it } from 'vitest';
import { onceEvery } from './repeat-filter.js';

describe('onceEvery', () => {
  it('lets each message through once per interval, different messages apart', () => {
    let clock = 0;
    const seen: string[] = [];
    const report = onceEvery(60_000, (err) => seen.push((err as Error).message), () => clock);
    report(new Error('db down'));
    report(new Error('db down'));
    report(new Error('disk full'));
    clock = 59_999;
    report(new Error('db down'));
    clock = 60_000;
    report(new Error('db down'));
    report('not an Error');
    expect(seen).toEqual(['db down', 'disk full', 'db down', undefined]);
  });
});
