// The audit log's table (`audit_log`, hash-chained per project; see
// src/auth/audit.ts for what is audited and how a row is hashed) and the
// install's settings. The chain's next row is computed under the project's
// audit lock, so two processes never append the same seq.
import type { Kysely } from 'kysely';
import type { StoreAdapter } from './adapter.js';
import { GENESIS_HASH } from './hash.js';
import type { AuditLogTable, Database } from './schema.js';

export interface AuditStore {
  /** The setting's value; when absent, `initial` is stored first (one value wins across processes). */
  setting(scope: string, key: string, initial: () => string): Promise<string>;
  /**
   * Appends the next audit row of `projectId`: `build` gets the chain's last
   * seq and hash (0 and the genesis hash when empty) and returns the row to
   * insert; it runs under the project's audit lock.
   */
  appendAudit(projectId: string, build: (last: { seq: number; hash: string }) => AuditLogTable): Promise<AuditLogTable>;
  /** Audit rows after `afterSeq` in seq order, at most `limit`. */
  auditRows(projectId: string, afterSeq: number, limit: number): Promise<AuditLogTable[]>;
  /** The chain's last row (seq 0 and the genesis hash when empty), or the row at `seq` (undefined when there is none). */
  auditHead(projectId: string, seq?: number): Promise<{ seq: number; hash: string } | undefined>;
  /** The projects that have an audit chain ('*': the group's). */
  auditProjects(): Promise<string[]>;
  /** The detail JSON text of the project's audit rows of one action. */
  auditDetails(projectId: string, action: string): Promise<string[]>;
}

export function auditStore(adapter: StoreAdapter): AuditStore {
  const db: Kysely<Database> = adapter.db;
  return {
    async setting(scope, key, initial) {
      await db.insertInto('settings').values({ project_id: scope, key, value: initial() })
        .onConflict((oc) => oc.columns(['project_id', 'key']).doNothing()).execute();
      const row = await db.selectFrom('settings').select('value').where('project_id', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
      return row.value;
    },

    appendAudit(projectId, build) {
      return adapter.lockedTransaction(`guishu-audit:${projectId}`, async (tx) => {
        const last = await tx.selectFrom('audit_log').select(['seq', 'hash']).where('project_id', '=', projectId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
        const row = build(last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH });
        await tx.insertInto('audit_log').values(row).execute();
        return row;
      });
    },

    async auditRows(projectId, afterSeq, limit) {
      const rows = await db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId)
        .where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },

    async auditHead(projectId, seq) {
      let q = db.selectFrom('audit_log').select(['seq', 'hash']).where('project_id', '=', projectId);
      if (seq !== undefined) q = q.where('seq', '=', seq);
      const row = await q.orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (!row) return seq === undefined ? { seq: 0, hash: GENESIS_HASH } : undefined;
      return { seq: Number(row.seq), hash: row.hash };
    },

    async auditProjects() {
      const ids = await db.selectFrom('audit_log').select('project_id').distinct().orderBy('project_id').execute();
      return ids.map((r) => r.project_id);
    },

    async auditDetails(projectId, action) {
      const rows = await db.selectFrom('audit_log').select('detail').where('project_id', '=', projectId).where('action', '=', action).execute();
      return rows.map((r) => r.detail);
    },
  };
}
