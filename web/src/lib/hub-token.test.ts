import { describe, expect, it } from 'vitest';
import { ApiClientError } from './api/errors.js';
import { needsHubToken } from './hub-token.js';

describe('needsHubToken', () => {
  it('is true for a gated or private repo refused by the hub', () => {
    const gated = new ApiClientError(403, 'forbidden', 'org/m is gated: accept its terms…', {}, { cause: 'gated', settings: '/settings' });
    expect(needsHubToken(gated)).toBe(true);
    expect(needsHubToken(new ApiClientError(403, 'forbidden', 'private', {}, { cause: 'unauthorized' }))).toBe(true);
  });

  it('is false for any other refusal or failure', () => {
    expect(needsHubToken(new ApiClientError(403, 'forbidden', 'admins only'))).toBe(false);
    expect(needsHubToken(new ApiClientError(503, 'unavailable', 'cannot reach', {}, { cause: 'gated' }))).toBe(false);
    expect(needsHubToken(new Error('boom'))).toBe(false);
  });
});
