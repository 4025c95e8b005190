import { describe, expect, it } from 'vitest';
import { mayCancelDownload, mayDeleteModel } from './model-rules.js';

describe('who may act on shared models', () => {
  it('lets only admins delete a cached model', () => {
    expect(mayDeleteModel({ id: 'a', isAdmin: true })).toBe(true);
    expect(mayDeleteModel({ id: 'u', isAdmin: false })).toBe(false);
  });

  it('lets the starter or an admin cancel a download', () => {
    expect(mayCancelDownload({ id: 'u', isAdmin: false }, { created_by: 'u' })).toBe(true);
    expect(mayCancelDownload({ id: 'u', isAdmin: false }, { created_by: 'v' })).toBe(false);
    expect(mayCancelDownload({ id: 'u', isAdmin: false }, { created_by: null })).toBe(false);
    expect(mayCancelDownload({ id: undefined, isAdmin: false }, { created_by: null })).toBe(false);
    expect(mayCancelDownload({ id: 'a', isAdmin: true }, { created_by: 'v' })).toBe(true);
  });
});
