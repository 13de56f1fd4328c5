// The web app: React 19 + antd 6, built by Vite into web/dist and served by
// the office server at / (src/server/static.ts). JSX is compiled by Vite's
// own transformer (no React plugin needed for a production build); in dev,
// `npx vite web` proxies /api to the server on :3000.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // antd and rc-components carry "use client" directives, meaningless in a client bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
