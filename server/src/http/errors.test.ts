import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anthropicError, errorShapeForPath, openAiError } from '../gateway/errors.js';
import { AppError } from '../services/errors.js';
import { ApiHttpError, fieldIssues, normaliseError } from './errors.js';

describe('error mapping', () => {
  it('maps service codes to statuses, with Retry-After for rate limits', () => {
    expect(normaliseError(new AppError('last_admin', 'no'))).toMatchObject({ status: 409, code: 'last_admin' });
    expect(normaliseError(new AppError('rate_limited', 'slow', { retry_after_seconds: 7 }))).toMatchObject({ status: 429, headers: { 'retry-after': '7' } });
    expect(normaliseError(new ApiHttpError(401, 'account_disabled', 'x'))).toMatchObject({ status: 401, code: 'account_disabled' });
  });

  it('maps Fastify body errors and hides internal errors', () => {
    expect(normaliseError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }))).toMatchObject({ status: 400, code: 'malformed_json' });
    expect(normaliseError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }))).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(normaliseError(new Error('SELECT * FROM secret failed'))).toEqual({ status: 500, code: 'internal_error', message: 'Internal server error' });
    // a plugin's bare status keeps a code that matches it (issue 7: a 403 said bad_request)
    for (const [status, code] of [[403, 'forbidden'], [405, 'method_not_allowed'], [408, 'request_timeout'], [431, 'headers_too_large'], [418, 'bad_request']] as const) {
      expect(normaliseError(Object.assign(new Error('x'), { statusCode: status }))).toMatchObject({ status, code });
    }
  });

  it('names fields from zod issues', () => {
    const r = z.object({ a: z.object({ b: z.number() }) }).strict().safeParse({ a: { b: 'x' }, c: 1 });
    expect(r.success).toBe(false);
    if (!r.success) expect(fieldIssues(r.error).map((i) => i.field).sort()).toEqual(['a.b', 'c']);
  });

  it('chooses the error shape by path', () => {
    expect(errorShapeForPath('/v1/chat/completions?x=1')).toBe('openai');
    expect(errorShapeForPath('/v1/messages')).toBe('anthropic');
    expect(errorShapeForPath('/v1/messages/count_tokens')).toBe('anthropic');
    expect(errorShapeForPath('/v1x')).toBe('api');
    expect(errorShapeForPath('/api/users')).toBe('api');
    expect(openAiError(404, 'm', 'model_not_found')).toEqual({ error: { message: 'm', type: 'not_found_error', param: null, code: 'model_not_found', source: 'gateway' } });
    expect(anthropicError(413, 'big')).toEqual({ type: 'error', error: { type: 'request_too_large', message: 'big', source: 'gateway' } });
  });
});
