// Masked-phone report matching among N channel reports (SQLite, the store's
// schema and its query layer): a full phone at the front desk against reports
// filed as 138***88888 (and, for one report in 20, 138****8888: two mask
// formats in use, as after a policy change). The value is the store's
// documented lookup, `findMaskedReports(db, project, phone)` (src/store/masks.ts):
// ONE statement that reads the project's mask shapes from report_mask_shapes
// and probes report_masks' primary key once per shape (2 probes here), joined
// to reports. The shape lookup is inside the timed value — nothing is cached,
// neither here nor in the store. report_mask_shapes is filled by the store's
// triggers during the bulk insert below, as it is for every writer. The floor
// is one indexed equality on the same table and index (the exact key of that
// phone in the 3-hidden format), with the same join. Both are timed
// interleaved, query by query.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { findMaskedReports, openStore } from '../../src/store/index.js';
import { quantile } from './measure.ts';

const PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '177', '180', '181', '182', '185', '186', '187', '188', '189', '199'];
const PROJECT = 'masks';

/** The i-th report's phone: a fixed bijection-ish spread over prefixes and 8 digits. */
function phoneOf(i: number): string {
  const body = (Math.imul(i + 1, 2_654_435_761) >>> 0) % 100_000_000;
  return PREFIXES[i % PREFIXES.length]! + String(body).padStart(8, '0');
}

export interface MaskResult {
  reports: number;
  buildSeconds: number;
  queries: number;
  matched: number;
  value: { p50: number; p99: number; max: number };
  floor: { p50: number; p99: number; max: number };
  truncated: boolean;
}

export async function maskBench(dir: string, reports: number, queries: number, maxSeconds: number): Promise<MaskResult> {
  const t0 = performance.now();
  // Schema by the store's migrations, project row by the store.
  {
    const store = await openStore({ kind: 'sqlite', dataDir: dir });
    await store.createProject(PROJECT, 'masked reports', 'Asia/Shanghai');
    await store.close();
  }
  // Bulk rows straight into the projection tables (one transaction): the lookup, not the write path, is measured here.
  // The report_masks triggers keep report_mask_shapes as they do for the app's writes.
  {
    const raw = new BetterSqlite3(join(dir, 'guishu.db'));
    raw.pragma('journal_mode = WAL');
    const rep = raw.prepare("insert into reports (project_id, report_id, phone_or_mask, agent, status, expires_at, updated_seq) values (?, ?, ?, ?, 'valid', '2030-01-01T00:00:00.000Z', ?)");
    const mask = raw.prepare('insert or ignore into report_masks (project_id, mask_key, report_id) values (?, ?, ?)');
    raw.transaction(() => {
      for (let i = 0; i < reports; i++) {
        const phone = phoneOf(i);
        const id = `r${i}`;
        const hidden = i % 20 === 19 ? 4 : 3;
        rep.run(PROJECT, id, `${phone.slice(0, 3)}${'*'.repeat(hidden)}${phone.slice(3 + hidden)}`, `qd${i % 50}`, i + 1);
        mask.run(PROJECT, `${phone.slice(0, 3)}|${hidden}|${phone.slice(3 + hidden)}`, id);
      }
    })();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.exec('analyze');
    raw.close();
  }
  const buildSeconds = (performance.now() - t0) / 1000;

  const store = await openStore({ kind: 'sqlite', dataDir: dir });
  try {
    const db = store.db;
    const byKey = (key: string) => db.selectFrom('report_masks as m').innerJoin('reports as r', (j) => j.onRef('r.project_id', '=', 'm.project_id').onRef('r.report_id', '=', 'm.report_id'))
      .select(['r.report_id', 'r.agent', 'r.status', 'r.expires_at']).where('m.project_id', '=', PROJECT).where('m.mask_key', '=', key).execute();
    const value = new Float64Array(queries);
    const floor = new Float64Array(queries);
    let matched = 0;
    let done = 0;
    let truncated = false;
    const deadline = performance.now() + maxSeconds * 1000;
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    for (let i = -200; i < queries; i++) {
      // Half the phones were reported (masked), half are strangers.
      const phone = i % 2 === 0 ? phoneOf(Math.floor(rnd() * reports)) : PREFIXES[Math.floor(rnd() * PREFIXES.length)]! + String(Math.floor(rnd() * 1e8)).padStart(8, '0');
      let t = process.hrtime.bigint();
      const hits = await findMaskedReports(db, PROJECT, phone);
      const v = Number(process.hrtime.bigint() - t) / 1e6;
      t = process.hrtime.bigint();
      await byKey(`${phone.slice(0, 3)}|3|${phone.slice(6)}`);
      const f = Number(process.hrtime.bigint() - t) / 1e6;
      if (i < 0) continue;
      if (hits.length) matched++;
      value[done] = v;
      floor[done] = f;
      done++;
      if (performance.now() > deadline) {
        truncated = done < queries;
        break;
      }
    }
    const stats = (a: Float64Array) => {
      const s = a.subarray(0, done).sort();
      return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] ?? NaN };
    };
    return { reports, buildSeconds, queries: done, matched, value: stats(value), floor: stats(floor), truncated };
  } finally {
    await store.close();
  }
}
