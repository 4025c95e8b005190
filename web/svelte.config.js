// SvelteKit as a single-page app: the server serves `build/` and falls back to index.html
// for every client-side route, so deep links like /users work after a reload.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    alias: {
      '@mlx-manager/contract': '../contract/src/index.ts',
    },
  },
};

export default config;
