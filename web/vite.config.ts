import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

// In `vite dev` the API lives in the separately started server (npm start / mlx-manager serve).
const apiTarget = 'http://127.0.0.1:8080';
const proxied = ['/api', '/v1', '/health', '/mcp'];

export default defineConfig({
  plugins: [tailwindcss(), sveltekit()],
  // SvelteKit's build-time analysis imports its server bundle, which imports `cookie`. The
  // workspace root hoists the server's cookie@2 (no `parse` export), so bundle kit's own copy.
  ssr: { noExternal: ['cookie'] },
  server: {
    proxy: Object.fromEntries(proxied.map((prefix) => [prefix, { target: apiTarget, changeOrigin: false }])),
  },
});
