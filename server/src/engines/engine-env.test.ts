import { describe, expect, it } from 'vitest';
import { engineEnv, passesToEngine } from './engine-env.js';

describe('engineEnv', () => {
  it("passes only the allowlist, then the launcher's and the profile's additions", () => {
    const env = engineEnv(
      {
        PATH: '/bin', HOME: '/h', LANG: 'C.UTF-8', LC_ALL: 'C', HF_HOME: '/h', HF_TOKEN: 'hf_x', PYTHONPATH: '/p',
        MLX_MANAGER_MASTER_KEY: 'k'.repeat(32), MLX_MANAGER_JWT_SECRET: 's'.repeat(32),
        OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant', AWS_SECRET_ACCESS_KEY: 'aws', AWS_ACCESS_KEY_ID: 'id', GITHUB_TOKEN: 'gh',
      },
      { PYTHONUNBUFFERED: '1', HF_HOME: '/p', AWS_PROFILE: 'set-by-admin' },
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', LANG: 'C.UTF-8', LC_ALL: 'C', HF_HOME: '/p', HF_TOKEN: 'hf_x', PYTHONPATH: '/p', PYTHONUNBUFFERED: '1', AWS_PROFILE: 'set-by-admin' });
  });

  it('keeps the names an engine needs and nothing that merely looks close', () => {
    for (const k of ['TMPDIR', 'TZ', 'USER', 'LOGNAME', 'SHELL', 'VIRTUAL_ENV', 'HUGGINGFACE_HUB_CACHE', 'LC_CTYPE']) expect(passesToEngine(k)).toBe(true);
    for (const k of ['MLX_MANAGER_HOME', 'OPENAI_BASE_URL', 'AWS_REGION', 'LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'NODE_OPTIONS', 'PATHEXT_X']) expect(passesToEngine(k)).toBe(false);
  });
});
