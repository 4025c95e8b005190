import { describe, expect, it } from 'vitest';
import { engineHubEnv } from './hub-env.js';

describe('engineHubEnv', () => {
  it('passes the token and a chosen endpoint with the cache folder', () => {
    expect(engineHubEnv({ endpoint: { value: 'https://mirror.example', source: 'settings' }, token: { value: 'hf_abc' }, cacheDir: '/c/hub' }))
      .toEqual({ HF_HUB_CACHE: '/c/hub', HF_ENDPOINT: 'https://mirror.example', HF_TOKEN: 'hf_abc' });
  });

  it('leaves out the default endpoint and an absent token', () => {
    expect(engineHubEnv({ endpoint: { value: 'https://default.example', source: 'default' }, token: { value: undefined }, cacheDir: '/c/hub' }))
      .toEqual({ HF_HUB_CACHE: '/c/hub' });
  });
});
