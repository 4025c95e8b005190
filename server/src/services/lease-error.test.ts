import { describe, expect, it } from 'vitest';
import { AcquireError, StartError, type InstanceStatus } from '../engines/supervisor.js';
import { AppError } from './errors.js';
import { LeaseError, RETRY_AFTER_SECONDS, toLeaseError } from './lease-error.js';

const status = { profileId: 'p', state: 'failed', logExcerpt: ['secret line'] } as unknown as InstanceStatus;

describe('toLeaseError', () => {
  it.each<[string, unknown, { reason: string; retryAfterSeconds: number | null; code: string }]>([
    ['queue full', new AcquireError('full', 'queue_full'), { reason: 'queue_full', retryAfterSeconds: RETRY_AFTER_SECONDS.queue_full, code: 'unavailable' }],
    ['wait timeout', new AcquireError('slow', 'timeout'), { reason: 'timeout', retryAfterSeconds: RETRY_AFTER_SECONDS.timeout, code: 'unavailable' }],
    ['client gone', new AcquireError('gone', 'aborted'), { reason: 'aborted', retryAfterSeconds: null, code: 'unavailable' }],
    ['engine missing', new StartError('no exe', 'engine_not_found', status), { reason: 'engine_not_found', retryAfterSeconds: null, code: 'unavailable' }],
    ['crash at start', new StartError('crashed', 'crashed', status), { reason: 'start_failed', retryAfterSeconds: RETRY_AFTER_SECONDS.start_failed, code: 'unavailable' }],
    ['start timeout', new StartError('slow', 'timeout', status), { reason: 'start_failed', retryAfterSeconds: RETRY_AFTER_SECONDS.start_failed, code: 'unavailable' }],
    ['stopped while waiting', new StartError('cancelled', 'cancelled', status), { reason: 'start_failed', retryAfterSeconds: RETRY_AFTER_SECONDS.cancelled, code: 'unavailable' }],
    ['unknown profile', new AppError('not_found', 'Profile x not found'), { reason: 'not_found', retryAfterSeconds: null, code: 'not_found' }],
    ['model not downloaded', new AppError('conflict', 'not downloaded'), { reason: 'start_failed', retryAfterSeconds: null, code: 'unavailable' }],
    ['model fails the rules', new AppError('validation_failed', 'bad model'), { reason: 'start_failed', retryAfterSeconds: null, code: 'unavailable' }],
  ])('%s', (_, err, want) => {
    const mapped = toLeaseError(err);
    expect(mapped).toBeInstanceOf(LeaseError);
    expect(mapped).toMatchObject({ ...want, details: { reason: want.reason, retry_after_seconds: want.retryAfterSeconds } });
    expect(JSON.stringify((mapped as LeaseError).details)).not.toContain('secret line');
  });

  it('leaves errors it does not know as they are', () => {
    const bug = new TypeError('bug');
    expect(toLeaseError(bug)).toBe(bug);
  });
});
