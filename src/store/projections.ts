// The projection tables the app reads — `customers` (the customer list),
// `staff`, `policies` — and every statement that writes or reads them. The
// app's Projector computes the rows (pure: src/app/projector.ts); this file
// turns its changes into SQL, written in the append's transaction.
//
// `reports`, `report_masks`, `deals`, `units`, `rotation` and `alerts` are
// no longer written (issue 13: nothing read them; the app answers reports,
// deals, the rotation and alerts from the engine's state). The tables stay in
// the schema — `report_masks` with its shape triggers is the store's masked
// lookup (masks.ts), kept and measured — and a rebuild empties them of rows
// an older version wrote.
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { StoreAdapter } from './adapter.js';
import { ConcurrencyError, ProjectNotFoundError } from './errors.js';
import { executeAll } from './pipeline.js';
import type { Database } from './schema.js';

/** The projection tables the app writes and reads. */
export type StoredTable = 'customers' | 'staff' | 'policies';
/** Primary key columns after project_id. */
export const STORED_KEYS: Record<StoredTable, readonly string[]> = {
  customers: ['phone'],
  staff: ['staff_id'],
  policies: ['version'],
};
/** Write order: parents before children. */
export const STORED_TABLES: readonly StoredTable[] = ['staff', 'policies', 'customers'];
/** Tables an older version wrote on every append and nothing reads: a rebuild empties them. */
const RETIRED_TABLES = ['report_masks', 'reports', 'units', 'deals', 'alerts', 'rotation'] as const;

type Row = Record<string, unknown>;

/** A projection row to write (the full row, project_id added here) or to delete (row null). */
export interface StoredRowChange {
  table: StoredTable;
  /** The key columns' values joined by U+0000. */
  key: string;
  row: Row | null;
}

/** A row change as the app's Projector gives it: changes of tables that are not stored are left out when written. */
export interface ProjectionChange {
  table: string;
  key: string;
  row: Row | null;
}

export const isStoredTable = (t: string): t is StoredTable => Object.hasOwn(STORED_KEYS, t);

/** Writes row changes for one project inside a transaction (an append's, a rebuild's). */
export async function writeRows(tx: Transaction<Database>, projectId: string, changes: readonly ProjectionChange[], fresh = false): Promise<void> {
  await executeAll(tx, rowWrites(tx, projectId, changes, fresh));
}

/** The statements that write the changes (PostgreSQL sends them in one round trip; see executeAll). Changes of other tables are left out. */
export function rowWrites(tx: Transaction<Database>, projectId: string, changes: readonly ProjectionChange[], fresh = false): CompiledQuery[] {
  const out: CompiledQuery[] = [];
  const byTable = new Map<StoredTable, StoredRowChange[]>();
  for (const c of changes) {
    if (!isStoredTable(c.table)) continue;
    const list = byTable.get(c.table) ?? [];
    list.push(c as StoredRowChange);
    byTable.set(c.table, list);
  }
  if (fresh) {
    // After the project's rows were deleted (rebuild): plain inserts in chunks.
    for (const table of STORED_TABLES) {
      const rows = (byTable.get(table) ?? []).filter((c) => c.row !== null).map((c) => ({ project_id: projectId, ...c.row }));
      for (let i = 0; i < rows.length; i += 200) out.push(tx.insertInto(table).values(rows.slice(i, i + 200) as never).compile());
    }
    return out;
  }
  // deletes children first, then upserts parents first
  for (const table of [...STORED_TABLES].reverse()) {
    for (const c of byTable.get(table) ?? []) {
      if (c.row !== null) continue;
      const parts = c.key.split('\u0000');
      let q = tx.deleteFrom(table).where('project_id', '=', projectId);
      STORED_KEYS[table].forEach((k, i) => {
        const raw = parts[i]!;
        q = q.where(k as never, '=', (table === 'policies' && k === 'version' ? Number(raw) : raw) as never);
      });
      out.push(q.compile());
    }
  }
  // One multi-row upsert per table and column set (a batch of commands touches a few tables, so a write costs a few statements).
  for (const table of STORED_TABLES) {
    const pk = ['project_id', ...STORED_KEYS[table]];
    const groups = new Map<string, Row[]>();
    // A row changed twice in one write: the last change wins (PostgreSQL refuses one upsert touching a row twice).
    const last = new Map<string, StoredRowChange>();
    for (const c of byTable.get(table) ?? []) last.set(c.key, c);
    for (const c of last.values()) {
      if (c.row === null) continue;
      const row = { project_id: projectId, ...c.row };
      const sig = Object.keys(row).join(',');
      const list = groups.get(sig) ?? [];
      list.push(row);
      groups.set(sig, list);
    }
    for (const [sig, list] of groups) {
      const update = sig.split(',').filter((k) => !pk.includes(k));
      for (let i = 0; i < list.length; i += 100) {
        const q = tx.insertInto(table).values(list.slice(i, i + 100) as never);
        out.push((update.length
          ? q.onConflict((oc) => oc.columns(pk as never).doUpdateSet((eb) => Object.fromEntries(update.map((k) => [k, eb.ref(`excluded.${k}` as never)])) as never))
          : q.onConflict((oc) => oc.columns(pk as never).doNothing())
        ).compile());
      }
    }
  }
  return out;
}

export interface PolicyRow {
  version: number;
  effectiveAt: string;
  preset: string | null;
  set: unknown;
  createdAt: string;
}

export interface CustomerListFilter {
  owner?: string;
  status?: string;
  limit: number;
}

export interface CustomerListRow {
  phone: string;
  name: string | null;
  owner: string | null;
  status: string;
  protectedUntil: string | null;
  basis: string | null;
  updatedSeq: number;
}

/** What the store offers over the projection tables. */
export interface ProjectionStore {
  /** Every stored projection row of the project, by table, in key order (rebuild --check compares them). */
  projectionRows(projectId: string): Promise<Record<StoredTable, Row[]>>;
  /** Each stored customer's updated_seq (a cold start takes the log's history of each row from it). */
  customerVersions(projectId: string): Promise<{ phone: string; updated_seq: number }[]>;
  /**
   * Replaces every projection row of the project with `changes`, in one
   * transaction holding the project's head: refused (ConcurrencyError) when
   * the head is no longer `headSeq`.
   */
  replaceProjections(projectId: string, headSeq: number, changes: readonly ProjectionChange[]): Promise<void>;
  /** The project's policy versions, oldest first. */
  policies(projectId: string): Promise<PolicyRow[]>;
  /** The customer list (owner, status, protection), most recently changed first. */
  customerList(projectId: string, filter: CustomerListFilter): Promise<CustomerListRow[]>;
}

export function projectionStore(adapter: StoreAdapter): ProjectionStore {
  const db: Kysely<Database> = adapter.db;
  return {
    async projectionRows(projectId) {
      const out = {} as Record<StoredTable, Row[]>;
      for (const table of STORED_TABLES) {
        let q = db.selectFrom(table).selectAll().where('project_id', '=', projectId);
        for (const k of STORED_KEYS[table]) q = q.orderBy(k as never);
        out[table] = (await q.execute()) as Row[];
      }
      return out;
    },

    async customerVersions(projectId) {
      const rows = await db.selectFrom('customers').select(['phone', 'updated_seq']).where('project_id', '=', projectId).execute();
      return rows.map((r) => ({ phone: r.phone, updated_seq: Number(r.updated_seq) }));
    },

    async replaceProjections(projectId, headSeq, changes) {
      await adapter.transaction(async (tx) => {
        const head = await adapter.lockProject(tx, projectId);
        if (!head) throw new ProjectNotFoundError(projectId);
        if (Number(head.head_seq) !== headSeq) throw new ConcurrencyError(projectId, headSeq, Number(head.head_seq));
        for (const table of [...RETIRED_TABLES, ...[...STORED_TABLES].reverse()]) {
          await tx.deleteFrom(table).where('project_id', '=', projectId).execute();
        }
        await writeRows(tx, projectId, changes, true);
      });
    },

    async policies(projectId) {
      const rows = await db.selectFrom('policies').selectAll().where('project_id', '=', projectId).orderBy('version').execute();
      return rows.map((r) => ({ version: Number(r.version), effectiveAt: r.effective_at, preset: r.preset, set: JSON.parse(r.set) as unknown, createdAt: r.created_at }));
    },

    async customerList(projectId, filter) {
      let sel = db.selectFrom('customers').selectAll().where('project_id', '=', projectId);
      if (filter.owner) sel = sel.where('owner', '=', filter.owner);
      if (filter.status) sel = sel.where('status', '=', filter.status);
      const rows = await sel.orderBy('updated_seq', 'desc').limit(filter.limit).execute();
      return rows.map((r) => ({ phone: r.phone, name: r.name, owner: r.owner, status: r.status, protectedUntil: r.protected_until, basis: r.basis_clause, updatedSeq: Number(r.updated_seq) }));
    },
  };
}
