import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit tests of the web app's pure logic and components (jsdom). Browser flows live in e2e/.
export default defineConfig({
  plugins: [svelte()],
  // web/tsconfig.json extends the generated .svelte-kit/tsconfig.json, which does not exist on
  // a fresh clone before `svelte-kit sync`: give esbuild its options inline instead.
  esbuild: { tsconfigRaw: JSON.stringify({ compilerOptions: { verbatimModuleSyntax: true, target: 'es2022' } }) },
  resolve: {
    alias: {
      '@mlx-manager/contract': fileURLToPath(new URL('../contract/src/index.ts', import.meta.url)),
      $lib: fileURLToPath(new URL('./src/lib', import.meta.url)),
      '$app/paths': fileURLToPath(new URL('./src/test-support/app-paths.ts', import.meta.url)),
    },
    conditions: ['browser'],
  },
  test: { name: 'web', include: ['src/**/*.test.ts'], environment: 'jsdom', passWithNoTests: true },
});
