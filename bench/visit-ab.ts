// `node --import tsx bench/visit-ab.ts BASE_DIR AFTER_DIR` (env KIND=sqlite|postgres, N, ROUNDS, TIMELINE):
// the visit-recording path of two checkouts of this repository compared in one process, in process (no
// HTTP), rounds alternated so that the shared machine's load falls on both. Each round imports a
// generated month (`guishu generate --customers 1500 --days 28 --consultants 12 --seed 7 > TIMELINE`)
// into a fresh store through that checkout's own import, then records N new customers' visits, 8 at a
// time, through its GuishuApp. Used for issue 13's projection decision (bench/FINDINGS.md). Make the
// checkouts with `git worktree add --detach DIR COMMIT` and a node_modules symlink.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.env.N ?? 1500);
const CONC = 8;
const kind = (process.env.KIND ?? 'sqlite') as 'sqlite' | 'postgres';

async function run(root: string, label: string, round: number): Promise<number> {
  const { openStore } = await import(`${root}/src/store/index.ts`);
  const { GuishuApp } = await import(`${root}/src/app/office.ts`);
  const cfg = kind === 'sqlite' ? { kind, dataDir: mkdtempSync(join(tmpdir(), 'ab-')) } : { kind, url: process.env.DATABASE_URL!, schema: `ab_${label}_${round}_${process.pid}`, maxConnections: 10 };
  const store = await openStore(cfg);
  const app = new GuishuApp({ store, checkpointEvery: 0 });
  const { importTimeline } = await import(`${root}/src/ops/import-timeline.ts`);
  await importTimeline(store, { file: process.env.TIMELINE ?? '/tmp/ab/month.ndjson', project: 'p1', progress: { stream: { write: () => true, isTTY: false }, everyMs: 1e9 } });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONC }, async () => {
    for (;;) {
      const i = next++;
      if (i >= N) return;
      await app.recordEvent('p1', { type: 'visit', customer: { phone: `139${String(10_000_000 + i).slice(-8)}`, name: '客户' }, says: { firstVisit: true } } as never);
    }
  }));
  const ms = performance.now() - t0;
  if (kind === 'postgres') await store.db.schema.dropSchema(cfg.schema as string).ifExists().cascade().execute().catch(() => {});
  await store.close();
  return N / (ms / 1000);
}

const [baseDir, afterDir] = process.argv.slice(2);
if (!baseDir || !afterDir) throw new Error('usage: visit-ab.ts BASE_DIR AFTER_DIR');
const roots = { base: baseDir, after: afterDir };
const out: Record<string, number[]> = { base: [], after: [] };
for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
  for (const label of round % 2 ? ['after', 'base'] : ['base', 'after']) {
    const rate = await run(roots[label as 'base' | 'after'], label, round);
    out[label]!.push(rate);
    console.log(`${kind} round ${round} ${label}: ${rate.toFixed(0)} visits/s`);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(`${kind} median base ${med(out.base!).toFixed(0)}/s, after ${med(out.after!).toFixed(0)}/s, ratio ${(med(out.after!) / med(out.base!)).toFixed(2)}`);
process.exit(0);
