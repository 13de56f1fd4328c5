// Reads of the event log and its erasure records beyond the append/read core
// of event-store.ts: what the app's replay, the operations (backup, restore,
// registers, heads, witness checks) and the CLI ask of the log.
import type { StoreAdapter } from './adapter.js';
import { canonicalJson } from './canonical.js';
import type { Database, EventRow } from './schema.js';
import type { Kysely } from 'kysely';

export interface ErasureRecord {
  seq: number;
  /** The personal part replay uses instead of the blanked one (JSON value; null: none given). */
  personal: unknown;
  erasedAt: string;
}

export interface LogStore {
  /** Whether the project's log holds an event of this type (e.g. a correction: a replay must keep the events). */
  hasEventOfType(projectId: string, type: string): Promise<boolean>;
  /** The hash of the event at seq, if there is one. */
  eventHash(projectId: string, seq: number): Promise<string | undefined>;
  /** The highest seq in the log (whatever the head says), optionally of events before `beforeAt` (ISO) and at most `upToSeq`. */
  lastEventSeq(projectId: string, opts?: { beforeAt?: string; upToSeq?: number }): Promise<number | undefined>;
  /** Raw event rows after `afterSeq` up to `toSeq`, at most `limit` (a backup's exact bytes). */
  eventRows(projectId: string, range: { afterSeq: number; toSeq: number; limit: number }): Promise<EventRow[]>;
  /** Raw rows of the events of these types and status whose own time is in [fromAt, beforeAt), by time then seq (a day's register). */
  eventRowsBetween(projectId: string, q: { types: readonly string[]; status: 'accepted' | 'rejected'; fromAt: string; beforeAt: string }): Promise<EventRow[]>;
  /** The erasure overlay: seq → the personal part replay uses for an erased event (from `fromSeq` on). */
  erasureOverlay(projectId: string, fromSeq?: number): Promise<Map<number, unknown>>;
  /** What the project's erasures are now (how many records, the latest time): it changes with every erasure. */
  erasureMark(projectId: string): Promise<string>;
  /** The project's erasure records up to `toSeq`, in seq order. */
  erasureRecords(projectId: string, toSeq?: number): Promise<ErasureRecord[]>;
  /** Writes erasure records as they were (a restore, before the events they name are blanked by the writer). */
  restoreErasureRecords(projectId: string, records: readonly ErasureRecord[]): Promise<void>;
  /** staff id → name, from the staff projection. */
  staffNames(projectId: string): Promise<Map<string, string>>;
}

export function logStore(adapter: StoreAdapter): LogStore {
  const db: Kysely<Database> = adapter.db;
  return {
    async hasEventOfType(projectId, type) {
      const row = await db.selectFrom('events').select('seq').where('project_id', '=', projectId).where('type', '=', type).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    async eventHash(projectId, seq) {
      const row = await db.selectFrom('events').select('hash').where('project_id', '=', projectId).where('seq', '=', seq).executeTakeFirst();
      return row?.hash;
    },

    async lastEventSeq(projectId, opts = {}) {
      let q = db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).where('project_id', '=', projectId);
      if (opts.beforeAt !== undefined) q = q.where('at', '<', opts.beforeAt);
      if (opts.upToSeq !== undefined) q = q.where('seq', '<=', opts.upToSeq);
      const r = await q.executeTakeFirst();
      return r?.seq === null || r?.seq === undefined ? undefined : Number(r.seq);
    },

    eventRows(projectId, range) {
      return db.selectFrom('events').selectAll()
        .where('project_id', '=', projectId).where('seq', '>', range.afterSeq).where('seq', '<=', range.toSeq)
        .orderBy('seq').limit(range.limit).execute();
    },

    eventRowsBetween(projectId, q) {
      return db.selectFrom('events').selectAll()
        .where('project_id', '=', projectId).where('type', 'in', [...q.types]).where('status', '=', q.status)
        .where('at', '>=', q.fromAt).where('at', '<', q.beforeAt)
        .orderBy('at').orderBy('seq').execute();
    },

    async erasureOverlay(projectId, fromSeq = 1) {
      const rows = await db.selectFrom('erasures').select(['seq', 'personal']).where('project_id', '=', projectId).where('seq', '>=', fromSeq).execute();
      return new Map(rows.map((r) => [Number(r.seq), JSON.parse(r.personal) as unknown]));
    },

    async erasureMark(projectId) {
      const r = await db.selectFrom('erasures').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('erased_at').as('last')]).where('project_id', '=', projectId).executeTakeFirst();
      return `${Number(r?.n ?? 0)}|${r?.last ?? ''}`;
    },

    async erasureRecords(projectId, toSeq) {
      let q = db.selectFrom('erasures').selectAll().where('project_id', '=', projectId);
      if (toSeq !== undefined) q = q.where('seq', '<=', toSeq);
      const rows = await q.orderBy('seq').execute();
      return rows.map((x) => ({ seq: Number(x.seq), personal: JSON.parse(x.personal) as unknown, erasedAt: x.erased_at }));
    },

    async restoreErasureRecords(projectId, records) {
      if (records.length === 0) return;
      await adapter.transaction(async (tx) => {
        for (const x of records) await tx.insertInto('erasures').values({ project_id: projectId, seq: x.seq, personal: canonicalJson(x.personal), erased_at: x.erasedAt }).execute();
      });
    },

    async staffNames(projectId) {
      const rows = await db.selectFrom('staff').select(['staff_id', 'name']).where('project_id', '=', projectId).execute();
      return new Map(rows.map((s) => [s.staff_id, s.name]));
    },
  };
}
