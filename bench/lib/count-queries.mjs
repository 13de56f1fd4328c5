// Preloaded into the server child by `npm run bench -- --diagnose`
// (`node --import ./bench/lib/count-queries.mjs bin/guishu.js start`): counts
// every SQL statement better-sqlite3 prepares (Kysely's SQLite driver prepares
// each query it runs), by statement text. SIGUSR2 writes the counts since the
// last signal to $BENCH_QUERY_LOG as JSON and resets them.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/package.json');
const Database = require('better-sqlite3');
let counts = new Map();
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (source, ...rest) {
  const key = String(source).replace(/\s+/g, ' ').slice(0, 300);
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return prepare.call(this, source, ...rest);
};
process.on('SIGUSR2', () => {
  const out = process.env.BENCH_QUERY_LOG;
  if (out) writeFileSync(out, JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])), null, 1));
  counts = new Map();
});
