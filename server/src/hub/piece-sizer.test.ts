import { describe, expect, it } from 'vitest';
import { pieceSizer } from './piece-sizer.js';

const MiB = 1024 * 1024;

describe('pieceSizer', () => {
  it('starts with the largest pieces and shrinks them towards the end, never below the smallest', () => {
    const p = pieceSizer({ bytes: 256 * MiB, connections: 8, maxPiece: 8 * MiB, minPiece: MiB });
    const sizes: number[] = [];
    let left = 256 * MiB;
    while (left > 0) {
      const n = p.next(left);
      sizes.push(n);
      left -= n;
    }
    expect(sizes[0]).toBe(8 * MiB);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(256 * MiB);
    // Non-increasing, except that the last piece takes a sliver along.
    expect(sizes.slice(0, -1).every((n, i) => i === 0 || n <= sizes[i - 1]!)).toBe(true);
    expect(sizes.at(-1)).toBeLessThan(1.5 * MiB);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(MiB);
    expect(sizes.filter((n) => n < 2 * MiB).length).toBeGreaterThan(8); // a fine-grained tail
  });

  it('takes a sliver under half a piece along, without exceeding the largest piece', () => {
    const p = pieceSizer({ bytes: 100 * MiB, connections: 8, maxPiece: 4 * MiB, minPiece: MiB });
    expect(p.next(4 * MiB + 100)).toBe(2 * MiB + 50);
    expect(p.next(6 * MiB)).toBe(4 * MiB); // 2 MiB left: a piece of its own
    expect(p.next(300)).toBe(300);
    // Near the end pieces are the smallest: a run of 1.25 MiB goes whole, one of 1.5 MiB does not.
    const tail = pieceSizer({ bytes: 3 * MiB, connections: 8, maxPiece: 4 * MiB, minPiece: MiB });
    expect(tail.next(MiB + MiB / 4)).toBe(MiB + MiB / 4);
    expect(tail.next(MiB + MiB / 2)).toBe(MiB);
  });

  it('counts bytes fetched in one stream as handed out', () => {
    const p = pieceSizer({ bytes: 64 * MiB, connections: 2, maxPiece: 64 * MiB, minPiece: MiB });
    p.claim(32 * MiB);
    expect(p.next(64 * MiB)).toBe(8 * MiB); // a quarter of the 32 MiB left
  });
});
