// The engine's source digest: what a cache checkpoint (src/app/checkpoint.ts)
// is only valid for, since the engine's decisions depend on its code. One
// function for both ways of getting it — scripts/build-server.mjs computes it
// at build time into the bundle (where the sources are not beside the
// module), src/app/checkpoint.ts from the sources otherwise — so the two
// cannot disagree.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The esbuild `define` that carries the digest into the bundle. */
export const ENGINE_DIGEST_DEFINE = '__GUISHU_ENGINE_SOURCE_DIGEST__';

/**
 * The files the engine's decisions and projections depend on, relative to
 * the repository root, sorted: every non-test src/domain/**\/*.ts, the
 * projector, the checkpoint codec (with the lazy customer map and the id
 * filter it carries) and the mask keys the projector writes.
 */
export function engineSourceFiles(root) {
  const out = [];
  const walk = (rel) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
    }
  };
  walk('src/domain');
  out.push('src/app/projector.ts', 'src/app/checkpoint.ts', 'src/app/lazy-customers.ts', 'src/app/id-filter.ts', 'src/store/masks.ts');
  return out.sort();
}

/** sha256 (hex) over each engine source file's path, length and bytes. */
export function engineSourceDigest(root) {
  const hash = createHash('sha256');
  for (const path of engineSourceFiles(root)) {
    const bytes = readFileSync(join(root, path));
    hash.update(`${path}\n${bytes.length}\n`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** The fingerprint a checkpoint is written under: the checkpoint format, the V8 major version (the serializer's) and the source digest. */
export function engineFingerprint(format, v8Version, sourceDigest) {
  const v8Major = String(v8Version).split('.')[0];
  return createHash('sha256').update(`guishu-checkpoint\nformat ${format}\nv8 ${v8Major}\nsources ${sourceDigest}\n`).digest('hex');
}

/** The esbuild `define` entries for scripts/build-server.mjs. */
export function engineDefines(root) {
  return { [ENGINE_DIGEST_DEFINE]: JSON.stringify(engineSourceDigest(root)) };
}
