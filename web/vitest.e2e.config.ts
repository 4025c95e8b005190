import { defineConfig } from 'vitest/config';

// Browser flows against the built server and web app (npm test builds both first). One fork,
// one file at a time: each file starts its own server and chromium, which is heavy on 2 cores.
export default defineConfig({
  test: {
    name: 'web-e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
