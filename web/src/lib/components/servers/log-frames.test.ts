import { describe, expect, it } from 'vitest';
import { appendBounded, linesOfFrame } from './log-frames.js';

describe('linesOfFrame', () => {
  it('accepts the shapes a log stream may send', () => {
    expect(linesOfFrame('"one"')).toEqual(['one']);
    expect(linesOfFrame('["a","b"]')).toEqual(['a', 'b']);
    expect(linesOfFrame('{"line":"x"}')).toEqual(['x']);
    expect(linesOfFrame('{"lines":["x","y"]}')).toEqual(['x', 'y']);
    expect(linesOfFrame('plain text')).toEqual(['plain text']);
    expect(linesOfFrame('{"other":1}')).toEqual([]);
  });
});

describe('appendBounded', () => {
  it('keeps the last lines', () => {
    expect(appendBounded(['1', '2'], ['3', '4'], 3)).toEqual(['2', '3', '4']);
  });
});
