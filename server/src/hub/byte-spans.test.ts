import { describe, expect, it } from 'vitest';
import { addSpan, coveredBytes, isSpanSet, missingSpans, prefixEnd, type Span } from './byte-spans.js';

describe('byte spans', () => {
  it('adds spans kept sorted and merged, touching ones joined', () => {
    let s: Span[] = [];
    s = addSpan(s, 10, 20);
    s = addSpan(s, 30, 40);
    expect(s).toEqual([[10, 20], [30, 40]]);
    expect(addSpan(s, 0, 5)).toEqual([[0, 5], [10, 20], [30, 40]]);
    expect(addSpan(s, 20, 30)).toEqual([[10, 40]]);
    expect(addSpan(s, 15, 35)).toEqual([[10, 40]]);
    expect(addSpan(s, 45, 50)).toEqual([[10, 20], [30, 40], [45, 50]]);
    expect(addSpan(s, 5, 5)).toEqual(s);
  });

  it('lists what is missing, counts what is there and how far the file is complete from its start', () => {
    const s: Span[] = [[0, 10], [20, 30]];
    expect(missingSpans(s, 40)).toEqual([[10, 20], [30, 40]]);
    expect(missingSpans(s, 30)).toEqual([[10, 20]]);
    expect(missingSpans([], 7)).toEqual([[0, 7]]);
    expect(coveredBytes(s)).toBe(20);
    expect(prefixEnd(s)).toBe(10);
    expect(prefixEnd([[5, 10]])).toBe(0);
  });

  it('accepts only well-formed span sets from a sidecar', () => {
    expect(isSpanSet([[0, 10], [11, 20]], 20)).toBe(true);
    expect(isSpanSet([], 20)).toBe(true);
    expect(isSpanSet([[0, 10], [10, 20]], 20)).toBe(false); // touching: not merged
    expect(isSpanSet([[5, 3]], 20)).toBe(false);
    expect(isSpanSet([[0, 21]], 20)).toBe(false);
    expect(isSpanSet([[-1, 2]], 20)).toBe(false);
    expect(isSpanSet([[0, 1.5]], 20)).toBe(false);
    expect(isSpanSet({ 0: [0, 1] }, 20)).toBe(false);
  });
});
