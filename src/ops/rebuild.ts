// `guishu rebuild [--project ID] [--check]`: recomputes every projection row
// from the log and reports how the stored rows differed.
//
// Without --check the rows are rewritten (GuishuApp.rebuildProjections: one
// transaction, refused if the head moved meanwhile) and the rows read before
// are compared with the rows after. With --check nothing is written: the log
// is replayed in memory (src/app/bulk.ts, the same engine and Projector) and
// compared with the stored rows.
import { BulkWriter } from '../app/bulk.ts';
import type { GuishuApp } from '../app/office.ts';
import { STORED_KEYS as KEYS, type StoredTable as Table } from '../store/index.js';

export interface RowDifference {
  table: string;
  key: string;
  /** `missing`: the log gives a row the store lacked; `extra`: the store had a row the log does not give; `changed`: columns differ. */
  kind: 'missing' | 'extra' | 'changed';
  columns?: { column: string; stored: unknown; fromLog: unknown }[];
}

export interface RebuildReport {
  projectId: string;
  headSeq: number;
  rows: number;
  differences: RowDifference[];
  /** True when the rows were rewritten (not --check). */
  rewritten: boolean;
}

type Rows = Record<string, Record<string, unknown>[]>;

const norm = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : v);

function keyOf(table: Table, row: Record<string, unknown>): string {
  return KEYS[table].map((k) => String(row[k])).join(' / ') || '(project)';
}

/** Differences between the stored rows and the rows the log gives, table by table. */
export function diffProjections(stored: Rows, fromLog: Rows): RowDifference[] {
  const out: RowDifference[] = [];
  for (const table of Object.keys(KEYS) as Table[]) {
    const a = new Map((stored[table] ?? []).map((r) => [keyOf(table, r), r]));
    const b = new Map((fromLog[table] ?? []).map((r) => [keyOf(table, r), r]));
    for (const [key, r] of b) {
      const s = a.get(key);
      if (!s) {
        out.push({ table, key, kind: 'missing' });
        continue;
      }
      const columns = [];
      for (const column of new Set([...Object.keys(s), ...Object.keys(r)])) {
        if (column === 'project_id') continue;
        const x = norm(s[column]);
        const y = norm(r[column]);
        if (String(x) !== String(y) || (x === null) !== (y === null)) columns.push({ column, stored: x, fromLog: y });
      }
      if (columns.length) out.push({ table, key, kind: 'changed', columns });
    }
    for (const key of a.keys()) if (!b.has(key)) out.push({ table, key, kind: 'extra' });
  }
  return out;
}

/** The rows a replay of the log gives, shaped like `projectionRows`. */
async function rowsFromLog(app: GuishuApp, projectId: string): Promise<{ rows: Rows; headSeq: number }> {
  const writer = await BulkWriter.open(app.store, projectId);
  const rows: Rows = {};
  for (const t of Object.keys(KEYS)) rows[t] = [];
  for (const c of writer.rows()) if (c.row && Object.hasOwn(KEYS, c.table)) rows[c.table]!.push({ project_id: projectId, ...c.row });
  return { rows, headSeq: writer.headSeq };
}

export async function rebuildProject(app: GuishuApp, projectId: string, opts: { check?: boolean } = {}): Promise<RebuildReport> {
  for (let attempt = 1; ; attempt++) {
    const before = await app.store.head(projectId);
    const stored = await app.projectionRows(projectId);
    if (opts.check) {
      const { rows, headSeq } = await rowsFromLog(app, projectId);
      const after = await app.store.head(projectId);
      if ((headSeq !== before.seq || after.seq !== before.seq) && attempt < 5) continue; // a write landed meanwhile
      const count = Object.values(rows).reduce((n, r) => n + r.length, 0);
      return { projectId, headSeq, rows: count, differences: diffProjections(stored, rows), rewritten: false };
    }
    const r = await app.rebuildProjections(projectId);
    if (r.headSeq !== before.seq && attempt < 5) continue; // the rows read before belong to an older head: compare again
    const rebuilt = await app.projectionRows(projectId);
    return { projectId, headSeq: r.headSeq, rows: r.rows, differences: diffProjections(stored, rebuilt), rewritten: true };
  }
}

export function formatDifference(d: RowDifference): string[] {
  if (d.kind === 'missing') return [`  + ${d.table} ${d.key}: missing from the store`];
  if (d.kind === 'extra') return [`  - ${d.table} ${d.key}: in the store, not given by the log`];
  return [`  ~ ${d.table} ${d.key}:`, ...(d.columns ?? []).map((c) => `      ${c.column}: stored ${JSON.stringify(c.stored)} → log ${JSON.stringify(c.fromLog)}`)];
}
