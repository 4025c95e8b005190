import { describe, expect, it } from 'vitest';
import { HubError, hubNetworkError } from './errors.js';

const socketError = (code: string) => Object.assign(new Error(`getaddrinfo ${code} huggingface.co`), { code });

describe('hubNetworkError [issue 9]', () => {
  it('says in words that the hub cannot be reached, names the address and the settings to change', () => {
    const err = hubNetworkError(socketError('ENOTFOUND'), 'search', 'https://huggingface.co');
    expect(err).toBeInstanceOf(HubError);
    expect(err.kind).toBe('network');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('cannot reach the model hub at https://huggingface.co');
    expect(err.message).toContain('looks offline');
    expect(err.message).toContain('HF_ENDPOINT');
    expect(err.message).toContain('HTTPS_PROXY');
    expect(err.message).toContain('Models already downloaded');
  });

  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'dropped'],
    ['UND_ERR_CONNECT_TIMEOUT', 'did not answer in time'],
    ['ENETUNREACH', 'no route'],
    ['SOMETHING_NEW', 'the connection failed (SOMETHING_NEW)'],
  ])('%s reads as "%s"', (code, words) => {
    expect(hubNetworkError(socketError(code), 'download', 'https://mirror.example').message).toContain(words);
  });

  it('keeps a cancelled request a cancellation, and a HubError as it is', () => {
    expect(hubNetworkError(Object.assign(new Error('aborted'), { name: 'AbortError' }), 'search').kind).toBe('cancelled');
    const original = new HubError('gated', 'gated');
    expect(hubNetworkError(original, 'search')).toBe(original);
    expect(hubNetworkError(socketError('ENOTFOUND'), 'search').message).toContain('cannot reach the model hub:');
  });
});
