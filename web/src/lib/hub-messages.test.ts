import { describe, expect, it } from 'vitest';
import { ApiClientError } from './api/errors.js';
import { hubProblem } from './hub-messages.js';

describe('hubProblem', () => {
  it('turns an unreachable hub into a titled sentence without the operation label', () => {
    const error = new ApiClientError(503, 'unavailable', 'search: cannot reach the model hub at https://hub.example: it did not answer in time (ETIMEDOUT).');
    expect(hubProblem(error)).toEqual({
      title: 'The hub is out of reach',
      text: 'Cannot reach the model hub at https://hub.example: it did not answer in time (ETIMEDOUT).',
    });
  });

  it('keeps other failures as the server said them', () => {
    expect(hubProblem(new ApiClientError(429, 'rate_limited', 'search: rate limited by the hub, retry in 5s'))).toEqual({
      title: 'Search failed',
      text: 'Search: rate limited by the hub, retry in 5s',
    });
  });
});
