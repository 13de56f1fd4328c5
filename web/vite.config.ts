// The web app: React 19 + antd 6, built by Vite into web/dist and served by
// the office server at / (src/server/static.ts). JSX is compiled by Vite's
// own transformer (no React plugin needed for a production build); in dev,
// `npx vite web` proxies /api to the server on :3000.
//
// After writing the bundle, every text file of 1 KiB or more gets a brotli
// (`.br`, quality 11) and a gzip (`.gz`, level 9) twin, each kept only when
// smaller: the server sends the twin the browser accepts (@fastify/static,
// `preCompressed`), so nothing is compressed per request. Sizes: docs/web.md.
import { defineConfig, type Plugin } from 'vite';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const COMPRESSIBLE = /\.(?:html|js|mjs|css|json|svg|txt|map|wasm)$/;

function precompress(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  let outDir = '';
  return {
    name: 'guishu-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name))
        .map((e) => join(e.parentPath, e.name));
      await Promise.all(files.map(async (file) => {
        const body = await readFile(file);
        if (body.length < 1024) return;
        const [b, g] = await Promise.all([
          br(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
          gz(body, { level: 9 }),
        ]);
        if (b.length < body.length) await writeFile(`${file}.br`, b);
        if (g.length < body.length) await writeFile(`${file}.gz`, g);
      }));
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [precompress()],
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
