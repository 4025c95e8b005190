import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env.js';

describe('engineEnv', () => {
  it("drops the manager's own settings (secrets) and adds the profile's", () => {
    const env = engineEnv({ PATH: '/bin', MLX_MANAGER_MASTER_KEY: 'k'.repeat(32), MLX_MANAGER_JWT_SECRET: 's'.repeat(32), HF_HOME: '/h' }, { PYTHONUNBUFFERED: '1', HF_HOME: '/p' });
    expect(env).toEqual({ PATH: '/bin', HF_HOME: '/p', PYTHONUNBUFFERED: '1' });
  });
});
