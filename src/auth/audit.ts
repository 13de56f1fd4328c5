// The audit log: who read an unmasked phone, who exported or erased a
// customer, who changed accounts, roles and grants — when and why. Append-only
// (database triggers refuse UPDATE/DELETE, like `events`) and hash-chained per
// project_id ('*' for group-wide acts) with the store's canonical JSON +
// sha256, so `guishu verify` detects an edited, removed or inserted row.
import { randomBytes, createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { canonicalJson, GENESIS_HASH, sha256Hex, type AuditLogTable, type Database, type EventStore } from '../store/index.js';
import { maskPhone } from '../domain/phone.ts';

export const GROUP = '*';

export interface AuditEntry {
  projectId: string;
  userId: string | null;
  /** read-phone | read-log | export | erase | user-create | user-disable | role-set | grant … */
  action: string;
  /** A customer's full phone: stored masked, with a keyed digest for lookups (never the phone itself). */
  phone?: string | null;
  route?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/** A row of the audit log, as the store types it (one definition of its columns). */
export type AuditRow = AuditLogTable;

export function hashAudit(r: Omit<AuditRow, 'hash' | 'detail'> & { detail: unknown }): string {
  return sha256Hex(canonicalJson({
    project_id: r.project_id, seq: r.seq, at: r.at, user_id: r.user_id, action: r.action, subject: r.subject,
    subject_key: r.subject_key, route: r.route, reason: r.reason, detail: r.detail, prev_hash: r.prev_hash,
  }));
}

export type AuditVerify = { ok: true; count: number } | { ok: false; seq: number; reason: 'gap' | 'prev_hash' | 'hash' | 'detail'; expected: string; found: string };

export class AuditLog {
  private key: Promise<string> | undefined;

  constructor(private readonly store: EventStore, private readonly now: () => number = Date.now) {}

  /** The install's secret for subject keys (HMAC of the phone): a phone cannot be recovered from the log by enumeration without it. */
  private subjectSecret(): Promise<string> {
    this.key ??= (async () => {
      const db = this.store.db;
      await db.insertInto('settings').values({ project_id: GROUP, key: 'audit-subject-key', value: randomBytes(32).toString('hex') })
        .onConflict((oc) => oc.columns(['project_id', 'key']).doNothing()).execute();
      const row = await db.selectFrom('settings').select('value').where('project_id', '=', GROUP).where('key', '=', 'audit-subject-key').executeTakeFirstOrThrow();
      return row.value;
    })();
    return this.key;
  }

  async subjectKey(phone: string): Promise<string> {
    return createHmac('sha256', await this.subjectSecret()).update(phone).digest('hex');
  }

  async append(e: AuditEntry): Promise<AuditRow> {
    const subject = e.phone ? maskPhone(e.phone) : null;
    const subjectKey = e.phone ? await this.subjectKey(e.phone) : null;
    const detailText = canonicalJson(e.detail ?? {});
    const at = new Date(this.now()).toISOString();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.transaction(async (tx) => {
          if (this.store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`guishu-audit:${e.projectId}`}))`.execute(tx);
          const last = await tx.selectFrom('audit_log').select(['seq', 'hash']).where('project_id', '=', e.projectId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
          const row: AuditRow = {
            project_id: e.projectId, seq: last ? Number(last.seq) + 1 : 1, at, user_id: e.userId, action: e.action, subject, subject_key: subjectKey,
            route: e.route ?? null, reason: e.reason ?? null, detail: detailText, prev_hash: last?.hash ?? GENESIS_HASH, hash: '',
          };
          row.hash = hashAudit({ ...row, detail: JSON.parse(detailText) as unknown });
          await tx.insertInto('audit_log').values(row).execute();
          return row;
        });
      } catch (err) {
        if (attempt >= 5) throw err;
      }
    }
  }

  async list(projectId: string, opts: { afterSeq?: number; limit?: number } = {}): Promise<AuditRow[]> {
    const rows = await this.store.db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId)
      .where('seq', '>', opts.afterSeq ?? 0).orderBy('seq').limit(Math.min(opts.limit ?? 100, 1000)).execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }
}

/** Walks one project's audit chain (or the group's, '*'). */
export async function verifyAudit(db: Kysely<Database>, projectId: string): Promise<AuditVerify> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId).where('seq', '>', after).orderBy('seq').limit(1000).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, seq: expectedSeq, reason: 'gap', expected: `seq ${expectedSeq}`, found: `seq ${seq}` };
      if (r.prev_hash !== prev) return { ok: false, seq, reason: 'prev_hash', expected: prev, found: r.prev_hash };
      let detail: unknown;
      try {
        detail = JSON.parse(r.detail);
      } catch {
        return { ok: false, seq, reason: 'detail', expected: 'JSON detail', found: r.detail.slice(0, 80) };
      }
      const h = hashAudit({ ...r, seq, detail });
      if (h !== r.hash) return { ok: false, seq, reason: 'hash', expected: h, found: r.hash };
      prev = r.hash;
      expectedSeq++;
    }
    if (rows.length < 1000) return { ok: true, count: expectedSeq - 1 };
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/** Every audit chain in the database: [project_id, result]. */
export async function verifyAllAudit(db: Kysely<Database>): Promise<[string, AuditVerify][]> {
  const ids = await db.selectFrom('audit_log').select('project_id').distinct().orderBy('project_id').execute();
  const out: [string, AuditVerify][] = [];
  for (const { project_id } of ids) out.push([project_id, await verifyAudit(db, project_id)]);
  return out;
}
