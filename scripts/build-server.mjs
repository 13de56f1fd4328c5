// `npm run build:server` (also run by `npm ci` via prepare): bundles the
// `guishu` command into dist/cli/guishu.mjs, which bin/guishu.js runs while it
// is newer than every source file. One file loads in a fraction of the time
// that compiling the TypeScript sources (tsx) and resolving hundreds of
// package files take: a server answers sooner after a restart.
//
// Kept outside the bundle: native addons (better-sqlite3, argon2), packages
// that load their own files by path at run time (pino's worker transport,
// swagger-ui's static assets), exceljs (loaded only for a workbook), tsx.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { engineDefines } from './engine-fingerprint.mjs';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/guishu.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // The engine's source digest, for cache checkpoints (src/app/checkpoint.ts): the bundle has no sources beside it.
  define: engineDefines(fileURLToPath(new URL('..', import.meta.url))),
  external: ['better-sqlite3', 'argon2', 'pino', 'thread-stream', '@fastify/swagger-ui', 'exceljs', 'tsx'],
  // CommonJS packages inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __guishuRequire } from 'node:module'; const require = __guishuRequire(import.meta.url);" },
});

// The clause catalogue, parsed once here (src/app/clauses.ts uses it while the YAML's digest matches).
const yamlText = readFileSync(new URL('../catalogue/rulebooks.yaml', import.meta.url), 'utf8');
const clauses = [];
for (const book of parse(yamlText).rulebooks ?? []) for (const c of book.clauses ?? []) if (c.id) clauses.push([c.id, String(c.zh ?? ''), String(c.en ?? '')]);
writeFileSync(new URL('../dist/cli/clauses.json', import.meta.url), JSON.stringify({ sha256: createHash('sha256').update(yamlText).digest('hex'), clauses }));
