import { describe, expect, it } from 'vitest';
import { createHubContext } from './context.js';
import { hubValuesInEffect, type HubEnvValues } from './in-effect.js';

const noEnv: HubEnvValues = { endpoint: undefined, token: undefined, tokenSource: 'token_file' };

describe('hub values in effect: Settings over environment over default', () => {
  it('takes the default when nothing is set', () => {
    expect(hubValuesInEffect(noEnv, { hf_endpoint: '', hf_token: '' })).toEqual({
      endpoint: { value: 'https://huggingface.co', source: 'default' },
      token: { value: undefined, source: 'default' },
    });
  });

  it('takes the environment (variable or token file) over the default', () => {
    const env: HubEnvValues = { endpoint: 'http://mirror.lan', token: 'hf_file', tokenSource: 'token_file' };
    expect(hubValuesInEffect(env, { hf_endpoint: ' ', hf_token: '' })).toEqual({
      endpoint: { value: 'http://mirror.lan', source: 'environment' },
      token: { value: 'hf_file', source: 'token_file' },
    });
  });

  it('takes the Settings page over the environment, trailing slashes removed', () => {
    const env: HubEnvValues = { endpoint: 'http://mirror.lan', token: 'hf_env', tokenSource: 'environment' };
    expect(hubValuesInEffect(env, { hf_endpoint: 'https://hub.example/base//', hf_token: 'hf_page' })).toEqual({
      endpoint: { value: 'https://hub.example/base', source: 'settings' },
      token: { value: 'hf_page', source: 'settings' },
    });
  });
});

describe('hub context', () => {
  it('gives a new client after a settings change and keeps the old one as it was (a running download)', async () => {
    let overrides = { hf_endpoint: 'http://127.0.0.1:1', hf_token: '' };
    const hub = await createHubContext({ HF_HOME: '/tmp/mlxm-hf-home-unused' }, { overrides: () => overrides });
    try {
      const first = hub.client;
      expect(hub.client).toBe(first); // same values → same client
      overrides = { hf_endpoint: 'http://127.0.0.1:2', hf_token: 'hf_x' };
      const second = hub.client;
      expect(second).not.toBe(first);
      expect(first.endpoint).toBe('http://127.0.0.1:1');
      expect(second.endpoint).toBe('http://127.0.0.1:2');
      expect(hub.endpoint).toBe('http://127.0.0.1:2');
      expect(hub.cacheDir).toBe('/tmp/mlxm-hf-home-unused/hub');
    } finally {
      await hub.close();
    }
  });
});
