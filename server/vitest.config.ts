import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '@mlx-manager/contract': fileURLToPath(new URL('../contract/src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A throw-away PostgreSQL server for the repository suite (provides its URL or why it failed).
    globalSetup: ['test/setup/postgres.ts'],
    // Suites start real servers, databases and engines: keep them from fighting for 2 cores.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
