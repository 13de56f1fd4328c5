/**
 * Masked-phone lookup. Channel agents often report a customer as a masked
 * phone (138****8888, 138***88888). We store one key per masked report,
 * `prefix|hiddenCount|suffix` (e.g. `138|3|88888`), in report_masks. A key's
 * *shape* is (prefix length, hidden count): `138|3|88888` has shape (3, 3).
 *
 * A full phone could match 66 keys (every split of 11 digits), but an office
 * uses one or two mask formats, so the store keeps, per project, the shapes
 * that occur (`report_mask_shapes`, maintained by triggers on report_masks:
 * see migration 0003) and a full phone is looked up under those shapes only —
 * one indexed equality per shape in use, no LIKE scans. See docs/store.md.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { maskKey as keyOfMask, maskKeyOf, parseMask } from '../domain/phone.js';
import type { Database } from './schema.js';

/** A mask format: how many digits are shown before the hidden run, and how many are hidden. */
export interface MaskShape {
  prefixLen: number;
  hidden: number;
}

/**
 * Key of a masked phone as the domain reads it (`parseMask` in src/domain/phone.ts: one grammar for the
 * engine and the store), or null when the text is not a masked phone (a full phone, several runs of `*`,
 * not 11 digits in all).
 */
export function maskKey(masked: string): string | null {
  const mask = parseMask(masked);
  return mask ? keyOfMask(mask) : null;
}

/** The shape of a mask key (`138|3|88888` → {prefixLen: 3, hidden: 3}), or null if it is not one. */
export function maskShape(key: string): MaskShape | null {
  const m = /^([0-9]*)\|([1-9][0-9]*)\|[0-9]*$/.exec(key);
  return m ? { prefixLen: m[1]!.length, hidden: Number(m[2]) } : null;
}

/**
 * The keys a full phone matches. With `shapes` (the project's shapes in use,
 * `maskShapes`), one key per shape that fits the phone — 1–3 in practice.
 * Without, every split into visible prefix, a hidden run of at least one digit
 * and visible suffix: 66 for 11 digits (for a caller that knows no shapes).
 * `minVisible` drops masks that hide almost everything (they identify nobody).
 */
export function candidateMaskKeys(phone: string, shapes?: readonly MaskShape[] | null, minVisible = 0): string[] {
  const digits = phone.replace(/[^0-9]/g, '');
  const n = digits.length;
  const key = (p: number, h: number) => maskKeyOf(digits, p, h);
  const keys: string[] = [];
  if (shapes) {
    const seen = new Set<string>();
    for (const { prefixLen: p, hidden: h } of shapes) {
      if (!Number.isInteger(p) || !Number.isInteger(h) || p < 0 || h < 1 || p + h > n || n - h < minVisible) continue;
      const k = key(p, h);
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
    return keys;
  }
  for (let p = 0; p < n; p++) {
    for (let h = 1; p + h <= n; h++) {
      if (n - h < minVisible) continue;
      keys.push(key(p, h));
    }
  }
  return keys;
}

type Db = Kysely<Database> | Transaction<Database>;

/** The mask shapes present in a project's report_masks (one primary-key range read). */
export async function maskShapes(db: Db, projectId: string): Promise<MaskShape[]> {
  const rows = await db.selectFrom('report_mask_shapes').select(['prefix_len', 'hidden'])
    .where('project_id', '=', projectId).orderBy('prefix_len').orderBy('hidden').execute();
  return rows.map((r) => ({ prefixLen: Number(r.prefix_len), hidden: Number(r.hidden) }));
}

export interface MaskedReportHit {
  report_id: string;
  agent: string;
  status: string;
  expires_at: string | null;
}

/**
 * The reports filed under a mask that a full phone matches, in ONE statement:
 * `mask_key IN (the phone's key under each shape of the project)`, i.e.
 * `candidateMaskKeys(phone, maskShapes(...))` computed by the database from
 * `report_mask_shapes` (a handful of rows read by primary key). Each key is an
 * equality probe on report_masks' primary key, so the cost is one probe per
 * shape in use whatever the number of reports; nothing is cached, the shapes
 * are read in the same statement and are always current. SQLite plans it as
 * "SEARCH m (project_id=? AND mask_key=?) … LIST SUBQUERY" with or without
 * ANALYZE statistics; PostgreSQL as a nested loop over the shapes. (No ORDER BY
 * in SQL: without statistics SQLite would rather walk reports in report_id
 * order than sort two rows. The few hits are sorted here.)
 */
export async function findMaskedReports(db: Db, projectId: string, phone: string): Promise<MaskedReportHit[]> {
  const rows = await maskedReportsQuery(db, projectId, phone).execute();
  return rows.sort((a, b) => (a.report_id < b.report_id ? -1 : a.report_id > b.report_id ? 1 : 0));
}

/** The statement `findMaskedReports` runs, unexecuted (to compile or EXPLAIN it). */
export function maskedReportsQuery(db: Db, projectId: string, phone: string) {
  const digits = phone.replace(/[^0-9]/g, '');
  const d = sql<string>`cast(${digits} as text)`;
  const keys = db.selectFrom('report_mask_shapes as s')
    .select(sql<string>`substr(${d}, 1, s.prefix_len) || '|' || cast(s.hidden as text) || '|' || substr(${d}, s.prefix_len + s.hidden + 1)`.as('mask_key'))
    .where('s.project_id', '=', projectId)
    .where(sql<number>`s.prefix_len + s.hidden`, '<=', digits.length);
  return db.selectFrom('report_masks as m')
    .innerJoin('reports as r', (j) => j.onRef('r.project_id', '=', 'm.project_id').onRef('r.report_id', '=', 'm.report_id'))
    .select(['r.report_id', 'r.agent', 'r.status', 'r.expires_at'])
    .where('m.project_id', '=', projectId)
    .where('m.mask_key', 'in', keys);
}
