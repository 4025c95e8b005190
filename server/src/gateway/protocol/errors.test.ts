import { describe, expect, it } from 'vitest';
import { parseSse } from './__fixtures__/load.js';
import { anthropicErrorBody, anthropicStreamErrorFrame, openAiErrorBody, openAiStreamErrorFrame, type GatewayFailure } from './errors.js';

const notFound: GatewayFailure = { status: 404, message: 'The model `x` does not exist.', code: 'model_not_found', source: 'gateway', param: 'model' };

describe('error envelopes', () => {
  it('builds OpenAI’s envelope with type from the status, param and code', () => {
    expect(openAiErrorBody(notFound)).toEqual({
      error: { message: 'The model `x` does not exist.', type: 'not_found_error', param: 'model', code: 'model_not_found', source: 'gateway' },
    });
  });

  it('builds Anthropic’s envelope from the same failure', () => {
    expect(anthropicErrorBody(notFound)).toEqual({ type: 'error', error: { type: 'not_found_error', message: 'The model `x` does not exist.', source: 'gateway' } });
  });

  it('maps statuses to each protocol’s types', () => {
    const types = (status: number) => [openAiErrorBody({ ...notFound, status }).error.type, anthropicErrorBody({ ...notFound, status }).error.type];
    expect(types(400)).toEqual(['invalid_request_error', 'invalid_request_error']);
    expect(types(401)).toEqual(['authentication_error', 'authentication_error']);
    expect(types(413)).toEqual(['invalid_request_error', 'request_too_large']);
    expect(types(429)).toEqual(['rate_limit_error', 'rate_limit_error']);
    expect(types(503)).toEqual(['server_error', 'api_error']);
    expect(types(529)).toEqual(['server_error', 'overloaded_error']);
  });

  it('keeps an upstream’s own type only where the client’s protocol knows it', () => {
    const overloaded: GatewayFailure = { status: 529, message: 'Overloaded', code: null, source: 'upstream', type: 'overloaded_error' };
    expect(anthropicErrorBody(overloaded).error.type).toBe('overloaded_error');
    expect(openAiErrorBody(overloaded).error.type).toBe('server_error');
  });

  it('frames a mid-stream OpenAI error as a data payload with an error key', () => {
    const frames = parseSse(openAiStreamErrorFrame({ status: 502, message: 'upstream crashed', code: 'upstream_failed', source: 'upstream' }));
    expect(frames).toHaveLength(1);
    expect(frames[0]?.event).toBeNull();
    expect(JSON.parse(frames[0]?.data ?? '')).toMatchObject({ error: { message: 'upstream crashed', type: 'server_error', source: 'upstream' } });
  });

  it('frames a mid-stream Anthropic error with an `event: error` line', () => {
    const frame = anthropicStreamErrorFrame({ status: 504, message: 'no token for 60 s', code: 'upstream_timeout', source: 'gateway' });
    expect(frame.startsWith('event: error\ndata: ')).toBe(true);
    expect(frame.endsWith('\n\n')).toBe(true);
    expect(JSON.parse(parseSse(frame)[0]?.data ?? '')).toEqual({ type: 'error', error: { type: 'timeout_error', message: 'no token for 60 s', source: 'gateway' } });
  });
});
