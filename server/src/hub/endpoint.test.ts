import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveHubEnv, resolveToken, tokenFromEnv } from './endpoint.js';

const HOME = '/home/u';

describe('resolveHubEnv (huggingface_hub precedence)', () => {
  it('defaults to ~/.cache/huggingface/hub and the public endpoint', () => {
    expect(resolveHubEnv({}, HOME)).toEqual({
      endpoint: 'https://huggingface.co', hfHome: '/home/u/.cache/huggingface', cacheDir: '/home/u/.cache/huggingface/hub',
      tokenPath: '/home/u/.cache/huggingface/token', offline: false, etagTimeoutSeconds: 10, downloadTimeoutSeconds: 10,
    });
    expect(resolveHubEnv({ HF_HUB_ETAG_TIMEOUT: '2.5', HF_HUB_DOWNLOAD_TIMEOUT: 'x' }, HOME)).toMatchObject({ etagTimeoutSeconds: 2.5, downloadTimeoutSeconds: 10 });
  });
  it('XDG_CACHE_HOME < HF_HOME < HUGGINGFACE_HUB_CACHE < HF_HUB_CACHE', () => {
    expect(resolveHubEnv({ XDG_CACHE_HOME: '/x' }, HOME).cacheDir).toBe('/x/huggingface/hub');
    expect(resolveHubEnv({ XDG_CACHE_HOME: '/x', HF_HOME: '~/hf' }, HOME)).toMatchObject({ hfHome: '/home/u/hf', cacheDir: '/home/u/hf/hub', tokenPath: '/home/u/hf/token' });
    expect(resolveHubEnv({ HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/legacy' }, HOME).cacheDir).toBe('/legacy');
    expect(resolveHubEnv({ HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/legacy', HF_HUB_CACHE: '/new' }, HOME).cacheDir).toBe('/new');
    expect(resolveHubEnv({ HF_HOME: '/h', HF_TOKEN_PATH: '/t/tok' }, HOME).tokenPath).toBe('/t/tok');
  });
  it('strips trailing slashes of HF_ENDPOINT and reads offline flags', () => {
    expect(resolveHubEnv({ HF_ENDPOINT: 'http://mirror.local/hf//' }, HOME).endpoint).toBe('http://mirror.local/hf');
    expect(resolveHubEnv({ HF_HUB_OFFLINE: 'yes' }, HOME).offline).toBe(true);
    expect(resolveHubEnv({ TRANSFORMERS_OFFLINE: '1' }, HOME).offline).toBe(true);
    expect(resolveHubEnv({ HF_HUB_OFFLINE: '0' }, HOME).offline).toBe(false);
  });
});

describe('token precedence', () => {
  it('HF_TOKEN > HUGGING_FACE_HUB_TOKEN > token file; blank values do not count', async () => {
    expect(tokenFromEnv({ HF_TOKEN: ' hf_a\n', HUGGING_FACE_HUB_TOKEN: 'hf_b' })).toBe('hf_a');
    expect(tokenFromEnv({ HF_TOKEN: '  ', HUGGING_FACE_HUB_TOKEN: 'hf_b' })).toBe('hf_b');
    const dir = await mkdtemp(join(tmpdir(), 'mlxm-tok-'));
    try {
      const env = { HF_HOME: dir };
      const hubEnv = resolveHubEnv(env, HOME);
      expect(await resolveToken(env, hubEnv)).toBeUndefined();
      await writeFile(join(dir, 'token'), 'hf_file\n');
      expect(await resolveToken(env, hubEnv)).toBe('hf_file');
      expect(await resolveToken({ ...env, HF_TOKEN: 'hf_env' }, hubEnv)).toBe('hf_env');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
