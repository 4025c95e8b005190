// One test run for every workspace; each project has its own config beside its code.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['contract/vitest.config.ts', 'server/vitest.config.ts', 'web/vitest.config.ts', 'web/vitest.e2e.config.ts'],
  },
});
