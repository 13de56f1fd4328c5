// The audit log: who read an unmasked phone, who exported or erased a
// customer, who changed accounts, roles and grants — when and why. Append-only
// (database triggers refuse UPDATE/DELETE, like `events`) and hash-chained per
// project_id ('*' for group-wide acts) with the store's canonical JSON +
// sha256, so `guishu verify` detects an edited, removed or inserted row.
import { randomBytes, createHmac } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, GROUP_ID, sha256Hex, type AuditLogTable, type EventStore } from '../store/index.js';
import { maskPhone } from '../domain/phone.ts';

/** The group's audit chain (and the tenant of group-wide account rows). */
export const GROUP = GROUP_ID;

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
    this.key ??= this.store.setting(GROUP, 'audit-subject-key', () => randomBytes(32).toString('hex'));
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
        // Under the project's audit lock (the store's appendAudit): the next seq after the chain's last row.
        return await this.store.appendAudit(e.projectId, (last) => {
          const row: AuditRow = {
            project_id: e.projectId, seq: last.seq + 1, at, user_id: e.userId, action: e.action, subject, subject_key: subjectKey,
            route: e.route ?? null, reason: e.reason ?? null, detail: detailText, prev_hash: last.hash, hash: '',
          };
          row.hash = hashAudit({ ...row, detail: JSON.parse(detailText) as unknown });
          return row;
        });
      } catch (err) {
        if (attempt >= 5) throw err;
      }
    }
  }

  async list(projectId: string, opts: { afterSeq?: number; limit?: number } = {}): Promise<AuditRow[]> {
    return this.store.auditRows(projectId, opts.afterSeq ?? 0, Math.min(opts.limit ?? 100, 1000));
  }
}

/** Walks one project's audit chain (or the group's, '*'). */
export async function verifyAudit(store: EventStore, projectId: string): Promise<AuditVerify> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let after = 0;
  for (;;) {
    const rows = await store.auditRows(projectId, after, 1000);
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
export async function verifyAllAudit(store: EventStore): Promise<[string, AuditVerify][]> {
  const out: [string, AuditVerify][] = [];
  for (const projectId of await store.auditProjects()) out.push([projectId, await verifyAudit(store, projectId)]);
  return out;
}
