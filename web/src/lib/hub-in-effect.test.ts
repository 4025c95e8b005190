import { describe, expect, it } from 'vitest';
import { cacheDirLine, endpointInEffect, tokenInEffect } from './hub-in-effect.js';

const hub = {
  endpoint: { value: 'https://huggingface.co', source: 'default' as const },
  token: { set: true, hint: 'hf_…abcd', source: 'environment' as const },
  cache_dir: '/home/me/.cache/huggingface/hub',
};

describe('hub values in effect, in words', () => {
  it('names the value and where it comes from', () => {
    expect(endpointInEffect(hub)).toBe('In use: https://huggingface.co (default)');
    expect(endpointInEffect({ ...hub, endpoint: { value: 'http://mirror.lan', source: 'environment' } })).toBe('In use: http://mirror.lan (from HF_ENDPOINT)');
    expect(tokenInEffect(hub)).toBe('In use: hf_…abcd (from HF_TOKEN)');
    expect(tokenInEffect({ ...hub, token: { set: true, hint: 'hf_…wxyz', source: 'settings' } })).toBe('In use: hf_…wxyz (set on this page)');
    expect(tokenInEffect({ ...hub, token: { set: true, hint: 'hf_…f11e', source: 'token_file' } })).toMatch(/token file/);
  });

  it('says when no token is in use, and that the cache folder needs a restart', () => {
    expect(tokenInEffect({ ...hub, token: { set: false, hint: '', source: 'default' } })).toMatch(/No token in use/);
    expect(cacheDirLine(hub)).toMatch(/\/home\/me\/\.cache\/huggingface\/hub.*restart/);
  });
});
