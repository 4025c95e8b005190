import { describe, expect, it } from 'vitest';
import { classifyProbeError, modelIds, modelsUrl, providerAuthHeaders } from './provider-probe.js';

const sysErr = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyProbeError', () => {
  const cases: [unknown, string][] = [
    [Object.assign(new Error('Upstream address refused: x'), { code: 'ESSRF', name: 'SsrfError' }), 'ssrf'],
    [sysErr('ENOTFOUND'), 'dns'],
    [sysErr('EAI_AGAIN'), 'dns'],
    [Object.assign(new TypeError('fetch failed'), { cause: sysErr('ECONNREFUSED') }), 'refused'],
    [sysErr('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls'],
    [sysErr('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
    [sysErr('CERT_HAS_EXPIRED'), 'tls'],
    [sysErr('UND_ERR_CONNECT_TIMEOUT'), 'timeout'],
    [sysErr('UND_ERR_HEADERS_TIMEOUT'), 'timeout'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    [sysErr('ECONNRESET'), 'network'],
    [new Error('weird'), 'network'],
  ];
  it.each(cases)('%s → %s', (err, reason) => {
    expect(classifyProbeError(err).reason).toBe(reason);
  });
});

describe('provider requests', () => {
  it('authenticates each kind the way its SDK does, and sends no key header without a key', () => {
    expect(providerAuthHeaders('openai', 'sk-1')).toEqual({ authorization: 'Bearer sk-1' });
    expect(providerAuthHeaders('openai-compatible', null)).toEqual({});
    expect(providerAuthHeaders('anthropic', 'sk-ant')).toEqual({ 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant' });
    expect(providerAuthHeaders('anthropic', null)).toEqual({ 'anthropic-version': '2023-06-01' });
  });

  it('lists models under the base URL (OpenAI-style) or under /v1 (Anthropic)', () => {
    expect(modelsUrl('openai', 'http://h/v1')).toBe('http://h/v1/models');
    expect(modelsUrl('anthropic', 'https://h')).toBe('https://h/v1/models');
  });

  it('reads model ids from either list shape and refuses anything else', () => {
    expect(modelIds({ object: 'list', data: [{ id: 'a' }, { id: 'b' }] })).toEqual(['a', 'b']);
    expect(modelIds({ data: [{ id: 'claude', type: 'model' }], has_more: false })).toEqual(['claude']);
    expect(modelIds({ models: [] })).toBeNull();
    expect(modelIds({ data: [{ name: 'x' }] })).toBeNull();
    expect(modelIds(null)).toBeNull();
  });
});
