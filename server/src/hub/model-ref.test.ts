import { describe, expect, it } from 'vitest';
import { modelRefersTo } from './model-ref.js';

describe('modelRefersTo', () => {
  const cache = '/c/hub';
  it('matches the repo id or a path inside its cache folder', () => {
    expect(modelRefersTo('org/m', 'org/m', cache)).toBe(true);
    expect(modelRefersTo('/c/hub/models--org--m/snapshots/abc', 'org/m', cache)).toBe(true);
    expect(modelRefersTo('/c/hub/models--org--m/snapshots/abc/x-Q4.gguf', 'org/m', cache)).toBe(true);
  });
  it('does not match other repos, prefixes or relative paths', () => {
    expect(modelRefersTo('org/m2', 'org/m', cache)).toBe(false);
    expect(modelRefersTo('/c/hub/models--org--m2/snapshots/abc', 'org/m', cache)).toBe(false);
    expect(modelRefersTo('/elsewhere/models--org--m', 'org/m', cache)).toBe(false);
    expect(modelRefersTo('models--org--m', 'org/m', cache)).toBe(false);
  });
});
