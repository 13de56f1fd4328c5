// The dispute queue (争议队列) and the reminders events cause (裁决、报备状态),
// derived from the log: what the engine decided for each event — its changes,
// each with its basis, and its refusals — read in order. Nothing is stored:
// the index of a project is built on first use by replaying its log once
// (a throwaway engine; corrections honoured) and then follows the app's
// 'applied' notices event by event; a correction, or a gap in the notices,
// makes it rebuild at the next question.
//
// What it keeps per project is small: per customer the last ownership (with
// renewals), the last reception and the day's contacts; the reports (agent,
// phone or mask, validity, conversion); the disputes and the reminders.
//
// The kinds of dispute:
//   report-vs-visit            a channel report valid at a visit that left the customer to someone else;
//                              a report refused because the customer had already visited (报备在后)
//   party-swallowed-report     a companion under a valid report went with the party to another owner (同行吞报备)
//   recognition-after-reception someone recognised the customer after another consultant received them that day
//   same-day-contacts          two consultants contacted one customer the same local day
//   lapse-retaken              a lapsed customer taken by another consultant within LAPSE_WINDOW_DAYS of the lapse
//   complaint                  a complaint (客诉) about the customer's consultant
//   override                   a manager's ruling or correction changed what the engine decided
//   objection                  a consultant's objection at the day-end review (异议)
import type { Change } from '../domain/engine/changes.ts';
import { lastProtectedDay } from '../domain/engine/ownership.ts';
import { ownerOf, Timeline, type OfficeState, type Outcome, type Ownership } from '../domain/engine/index.ts';
import type { EventOf, OfficeEvent } from '../domain/events.ts';
import { maskMatches, normalizePhone, parseMask, type PhoneMask } from '../domain/phone.ts';
import { resolvePolicy } from '../domain/policy/index.ts';
import { formatLocalTime, localDay } from '../domain/time.ts';
import type { EventStore } from '../store/index.js';
import { resolveFromEvent } from './bulk.ts';
import { clauseText } from './clauses.ts';
import { fromStored } from './codec.ts';
import type { AppliedNotice, GuishuApp } from './office.ts';

import { DISPUTE_KINDS, type Dispute, type DisputeKind } from '../shared/office-answers.ts';

export { DISPUTE_KINDS, type Dispute, type DisputeKind };

/** A lapsed customer taken by another within this many local days of the last protected day is a dispute. */
export const LAPSE_WINDOW_DAYS = 7;

export interface DisputeRecord {
  id: string;
  kind: DisputeKind;
  /** The latest evidence's time (ms). */
  at: number;
  phone: string;
  staff: string[];
  evidence: string[];
}

/** A reminder an event causes, addressed to staff ids (the consultants concerned, the reporting agent). */
export interface EventNote {
  id: string;
  kind: 'ruling' | 'report-status';
  at: number;
  to: string[];
  phone: string | null;
  eventId: string;
  owner?: string | null;
  previousOwner?: string | null;
  reason?: string;
  reportId?: string;
  status?: 'converted';
  deal?: string;
}

interface PhoneMemo {
  ownership?: Ownership;
  firstVisit?: { eventId: string; receiver: string };
  reception?: { day: number; receiver: string; eventId: string };
  contacts?: { day: number; byStaff: Map<string, string> };
  lastRuling?: { eventId: string; at: number };
}

interface ReportMemo {
  id: string;
  agent: string;
  phone?: string;
  mask?: PhoneMask;
  at: number;
  validUntil: number;
  converted: boolean;
}

/** Keep at most this many reminders per project (newest kept). */
const MAX_NOTES = 20_000;

/**
 * The reminders an accepted event causes, pure: a ruling reaches the new and
 * the previous owner (a deal ruling: everyone it credits); a report converted
 * by a visit reaches its agent. `agentOf` names a report's agent.
 */
export function eventNotes(event: OfficeEvent, outcome: Outcome, agentOf: (reportId: string) => string | undefined): EventNote[] {
  if (!outcome.accepted) return [];
  const out: EventNote[] = [];
  if (event.type === 'ruling') {
    for (const ch of outcome.changes) {
      if (ch.kind === 'ownership') {
        const to = uniq([ch.ownership.owner, ch.ownership.previousOwner ?? null]);
        if (to.length) out.push({ id: `ruling:${event.id}`, kind: 'ruling', at: event.at, to, phone: ch.phone, eventId: event.id, owner: ch.ownership.owner, previousOwner: ch.ownership.previousOwner ?? null, reason: event.reason });
      }
      if (ch.kind === 'deal-ruling') {
        const to = uniq([...(ch.performance?.keys() ?? []), ...(ch.commission?.keys() ?? [])]);
        if (to.length) out.push({ id: `ruling:${event.id}`, kind: 'ruling', at: event.at, to, phone: null, eventId: event.id, deal: ch.dealId, reason: event.reason });
      }
    }
  }
  for (const ch of outcome.changes) {
    if (ch.kind !== 'report-converted') continue;
    const agent = agentOf(ch.reportId);
    if (agent) out.push({ id: `report:${ch.reportId}:converted`, kind: 'report-status', at: event.at, to: [agent], phone: ch.phone, eventId: event.id, reportId: ch.reportId, status: 'converted' });
  }
  return out;
}

function uniq(xs: (string | null | undefined)[]): string[] {
  return [...new Set(xs.filter((x): x is string => typeof x === 'string' && x !== ''))];
}

/** One project's index: the memo, the disputes and the reminders up to `headSeq`. */
class ProjectIndex {
  headSeq = 0;
  stale = false;
  /** The erasure mark the index was built at. */
  erasures = '';
  readonly phones = new Map<string, PhoneMemo>();
  readonly reports = new Map<string, ReportMemo>();
  readonly reportsByPhone = new Map<string, string[]>();
  readonly maskedReports: string[] = [];
  readonly roles = new Map<string, string>();
  readonly deals = new Map<string, string>();
  readonly disputes = new Map<string, DisputeRecord>();
  notes: EventNote[] = [];

  constructor(readonly timezone: string) {}

  private memo(phone: string): PhoneMemo {
    let m = this.phones.get(phone);
    if (!m) this.phones.set(phone, (m = {}));
    return m;
  }

  private raise(kind: DisputeKind, key: string, phone: string, at: number, staff: (string | null | undefined)[], evidence: (string | undefined)[]): void {
    const id = `${kind}:${key}`;
    const known = this.disputes.get(id);
    const ev = evidence.filter((x): x is string => typeof x === 'string');
    if (known) {
      known.at = Math.max(known.at, at);
      known.staff = uniq([...known.staff, ...staff]);
      known.evidence = [...new Set([...known.evidence, ...ev])];
      return;
    }
    this.disputes.set(id, { id, kind, at, phone, staff: uniq(staff), evidence: [...new Set(ev)] });
  }

  /** Reports that could be this phone and were valid (filed, not yet converted, not lapsed) at `at`. */
  private validReports(phone: string, at: number): ReportMemo[] {
    const out: ReportMemo[] = [];
    for (const id of [...(this.reportsByPhone.get(phone) ?? []), ...this.maskedReports]) {
      const r = this.reports.get(id);
      if (!r || r.converted || r.at > at || r.validUntil < at) continue;
      if (r.phone ? r.phone !== phone : !(r.mask && maskMatches(r.mask, phone))) continue;
      out.push(r);
    }
    return out;
  }

  private isConsultant(staff: string): boolean {
    const role = this.roles.get(staff);
    return role !== 'channel' && role !== 'frontdesk' && role !== 'controller';
  }

  /** One event as the engine decided it (`phoneOfEvent` finds a corrected event's customer). */
  observe(event: OfficeEvent, outcome: Outcome, phoneOfEvent: (id: string) => string | undefined = () => undefined): void {
    if (!outcome.accepted) {
      if (event.type === 'report' && outcome.rejection.code === 'report-after-visit') this.lateReport(event);
      return;
    }
    const changes = outcome.changes;
    if (event.type === 'visit') this.visitConflicts(event, changes);
    for (const note of eventNotes(event, outcome, (id) => this.reports.get(id)?.agent)) this.notes.push(note);
    if (this.notes.length > MAX_NOTES) this.notes = this.notes.slice(-MAX_NOTES);
    const day = localDay(event.at, this.timezone);
    for (const ch of changes) this.apply(event, ch, day);
    if (event.type === 'correction') {
      const phone = phoneOfEvent(event.of);
      if (phone) this.raise('override', event.id, phone, event.at, [event.by], [event.of, event.id]);
    }
  }

  private lateReport(event: EventOf<'report'>): void {
    const phone = normalizePhone(event.customer.phone);
    const mask = phone ? undefined : parseMask(event.customer.phone);
    const phones = phone ? [phone] : mask ? [...this.phones.keys()].filter((p) => maskMatches(mask, p) && this.phones.get(p)?.firstVisit) : [];
    for (const p of phones) {
      const m = this.phones.get(p);
      this.raise('report-vs-visit', event.id, p, event.at, [event.staff, m?.firstVisit?.receiver, m?.ownership?.owner], [m?.firstVisit?.eventId, event.id]);
    }
  }

  private visitConflicts(event: EventOf<'visit'>, changes: readonly Change[]): void {
    const phone = normalizePhone(event.customer.phone);
    if (!phone) return;
    const contact = changes.find((c) => c.kind === 'contact' && c.phone === phone);
    const receiver = contact?.kind === 'contact' ? (contact.receiver ?? contact.contact.staff) : event.receivedBy;
    const ownerAfter = (p: string): string | null => {
      let owner: string | null | undefined;
      for (const c of changes) if (c.kind === 'ownership' && c.phone === p) owner = c.ownership.owner;
      return owner === undefined ? (this.phones.get(p)?.ownership?.owner ?? null) : owner;
    };
    for (const r of this.validReports(phone, event.at)) {
      const owner = ownerAfter(phone);
      if (owner !== r.agent) this.raise('report-vs-visit', `${r.id}:${event.id}`, phone, event.at, [r.agent, receiver, owner], [r.id, event.id]);
    }
    const party = changes.find((c) => c.kind === 'party');
    if (party?.kind === 'party') {
      for (const m of party.phones) {
        if (m === phone) continue;
        for (const r of this.validReports(m, event.at)) {
          const owner = ownerAfter(m);
          if (owner !== r.agent) this.raise('party-swallowed-report', `${r.id}:${event.id}`, m, event.at, [r.agent, receiver, owner], [r.id, event.id]);
        }
      }
    }
    if (event.recognizedBy && receiver && event.recognizedBy !== receiver) {
      this.raise('recognition-after-reception', event.id, phone, event.at, [receiver, event.recognizedBy], [event.id]);
    }
  }

  private apply(event: OfficeEvent, ch: Change, day: number): void {
    switch (ch.kind) {
      case 'staff':
        this.roles.set(ch.member.id, ch.member.role);
        return;
      case 'recognition': {
        if (event.type !== 'recognize') return;
        const r = this.phones.get(ch.phone)?.reception;
        if (r && r.day === ch.day && r.receiver !== ch.staff) this.raise('recognition-after-reception', event.id, ch.phone, event.at, [r.receiver, ch.staff], [r.eventId, event.id]);
        return;
      }
      case 'contact': {
        const m = this.memo(ch.phone);
        const staff = ch.receiver ?? ch.contact.staff;
        if (ch.contact.kind === 'visit') {
          m.reception = { day: ch.contact.day, receiver: staff, eventId: ch.contact.eventId };
          if (!m.firstVisit) m.firstVisit = { eventId: ch.contact.eventId, receiver: staff };
        }
        if (ch.contact.kind === 'report' || !this.isConsultant(staff)) return;
        if (!m.contacts || m.contacts.day !== ch.contact.day) m.contacts = { day: ch.contact.day, byStaff: new Map() };
        if (!m.contacts.byStaff.has(staff)) m.contacts.byStaff.set(staff, ch.contact.eventId);
        if (m.contacts.byStaff.size > 1) {
          this.raise('same-day-contacts', [...m.contacts.byStaff.values()][0]!, ch.phone, event.at, [...m.contacts.byStaff.keys()], [...m.contacts.byStaff.values()]);
        }
        return;
      }
      case 'ownership': {
        const m = this.memo(ch.phone);
        const before = m.ownership;
        const o = ch.ownership;
        if (event.type === 'ruling') {
          m.lastRuling = { eventId: event.id, at: event.at };
          this.raise('override', event.id, ch.phone, event.at, [before?.owner, o.owner, event.by], [...(before?.basis.events.slice(-1) ?? []), event.id]);
        } else if (before?.owner && o.owner && before.owner !== o.owner && !before.closed && o.via !== 'complaint') {
          const last = lastProtectedDay(before, undefined);
          if (last !== null && day > last && day - last <= LAPSE_WINDOW_DAYS) {
            this.raise('lapse-retaken', event.id, ch.phone, event.at, [before.owner, o.owner], [...before.basis.events.slice(-1), event.id]);
          }
        }
        m.ownership = { ...o, basis: { clause: o.basis.clause, events: [...o.basis.events] } };
        return;
      }
      case 'renew': {
        const o = this.phones.get(ch.phone)?.ownership;
        if (o) {
          if (ch.day > o.lastContactDay) o.lastContactDay = ch.day;
          if (ch.callback && o.firstDueDay !== null && ch.day > o.startDay) o.firstCallbackDone = true;
        }
        return;
      }
      case 'complaint':
        this.raise('complaint', event.id, ch.phone, event.at, [ch.complaint.against, ch.complaint.reassignTo], [event.id]);
        return;
      case 'objection':
        this.raise('objection', event.id, ch.phone, event.at, [ch.objection.staff, this.phones.get(ch.phone)?.ownership?.owner], [ch.objection.evidence, event.id]);
        return;
      case 'report': {
        const r = ch.report;
        this.reports.set(r.id, { id: r.id, agent: r.agent, phone: r.phone, mask: r.mask, at: r.at, validUntil: r.validUntil, converted: false });
        if (r.phone) {
          const list = this.reportsByPhone.get(r.phone);
          if (list) list.push(r.id);
          else this.reportsByPhone.set(r.phone, [r.id]);
        } else this.maskedReports.push(r.id);
        return;
      }
      case 'report-converted': {
        const r = this.reports.get(ch.reportId);
        if (r) r.converted = true;
        return;
      }
      case 'deal':
        this.deals.set(ch.deal.id, ch.deal.customers[0]!);
        return;
      case 'deal-ruling': {
        const phone = this.deals.get(ch.dealId);
        if (phone && event.type === 'ruling') {
          this.memo(phone).lastRuling = { eventId: event.id, at: event.at };
          this.raise('override', event.id, phone, event.at, [event.by, ...(ch.performance?.keys() ?? []), ...(ch.commission?.keys() ?? [])], [event.id]);
        }
        return;
      }
      case 'alert':
        if (ch.alert.kind === 'recognition-after-deal' && ch.alert.customer) {
          this.raise('recognition-after-reception', event.id, ch.alert.customer, event.at, [ch.alert.staff], [...ch.alert.basis.events]);
        }
        return;
      default:
        return;
    }
  }

  lastRuling(phone: string): { eventId: string; at: number } | undefined {
    return this.phones.get(phone)?.lastRuling;
  }
}

export interface DisputeQuery {
  kinds?: readonly DisputeKind[];
  /** Only those without a later ruling. */
  open?: boolean;
  since?: number;
  limit?: number;
}

/**
 * The disputes and event reminders of every project this process serves,
 * each project's index built on first use. Construct once per app.
 */
export class DisputeIndex {
  private readonly indexes = new Map<string, ProjectIndex>();
  private readonly building = new Map<string, { pending: AppliedNotice[]; done: Promise<ProjectIndex> }>();
  private readonly onApplied = (n: AppliedNotice) => this.follow(n);

  constructor(private readonly app: GuishuApp, private readonly store: EventStore) {
    app.on('applied', this.onApplied);
  }

  close(): void {
    this.app.off('applied', this.onApplied);
    this.indexes.clear();
  }

  private follow(n: AppliedNotice): void {
    const b = this.building.get(n.projectId);
    if (b) {
      b.pending.push(n);
      return;
    }
    const idx = this.indexes.get(n.projectId);
    if (idx) step(idx, n);
  }

  /** The project's index, caught up with the log (other processes' appends included); rebuilt after an erasure (the index holds phones). */
  private async index(projectId: string): Promise<ProjectIndex> {
    await this.app.sync(projectId);
    const mark = await this.store.erasureMark(projectId);
    const known = this.indexes.get(projectId);
    if (known && !known.stale && known.erasures === mark) return known;
    const running = this.building.get(projectId);
    if (running) return running.done;
    const pending: AppliedNotice[] = [];
    const done = this.build(projectId).then((idx) => {
      for (const n of pending) step(idx, n);
      return idx;
    });
    this.building.set(projectId, { pending, done });
    try {
      const idx = await done;
      this.indexes.set(projectId, idx);
      return idx;
    } finally {
      this.building.delete(projectId);
    }
  }

  private async build(projectId: string): Promise<ProjectIndex> {
    const timezone = await this.app.timezone(projectId);
    const idx = new ProjectIndex(timezone);
    idx.erasures = await this.store.erasureMark(projectId);
    const overlay = await this.store.erasureOverlay(projectId);
    // Without corrections each event is observed as it is applied; with them, after the whole log (the engine replays a correction in place).
    const history = await this.store.hasEventOfType(projectId, 'correction');
    let timeline: Timeline | undefined;
    const phoneOf = new Map<string, string>();
    let count = 0;
    for await (const row of this.store.readEvents(projectId, { batchSize: 2_000 })) {
      if (++count % 2_000 === 0) await new Promise<void>((r) => setImmediate(r));
      const event = fromStored(row, overlay.get(row.seq));
      idx.headSeq = row.seq;
      if (!timeline) {
        if (event.type !== 'policy') return idx;
        const policy = resolvePolicy(event.preset, event.set, Number.NEGATIVE_INFINITY, 1);
        timeline = new Timeline({ timezone, policy, keepHistory: history, checkIds: false, resolvePolicy: resolveFromEvent });
        continue;
      }
      let outcome: Outcome;
      try {
        outcome = timeline.apply(event);
      } catch {
        continue; // the app's engine refuses to replay it too; nothing to observe
      }
      if (history) {
        const ref = (event as { customer?: { phone?: string } }).customer?.phone;
        const phone = typeof ref === 'string' ? normalizePhone(ref) : undefined;
        if (phone) phoneOf.set(event.id, phone);
      } else idx.observe(event, outcome);
    }
    if (history && timeline) for (const e of timeline.entries) idx.observe(e.event, e.outcome, (id) => phoneOf.get(id));
    return idx;
  }

  /** Disputes newest first, each with the customer's current decision and its clause. */
  async disputes(projectId: string, q: DisputeQuery = {}): Promise<Dispute[]> {
    const idx = await this.index(projectId);
    const kinds = q.kinds?.length ? new Set(q.kinds) : null;
    const records = [...idx.disputes.values()]
      .filter((d) => (!kinds || kinds.has(d.kind)) && (q.since === undefined || d.at >= q.since))
      .sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
    return this.app.query(projectId, (state, project, now) => {
      const out: Dispute[] = [];
      for (const d of records) {
        const ruled = idx.lastRuling(d.phone);
        const ruling = ruled && ruled.at >= d.at && !(d.kind === 'override' && d.evidence.includes(ruled.eventId)) ? ruled : undefined;
        if (q.open && ruling) continue;
        out.push(disputeView(state, d, project.timezone, now, ruling));
        if (out.length >= (q.limit ?? 200)) break;
      }
      return out;
    });
  }

  /** The reminders events caused for this staff member, newest first. */
  async notes(projectId: string, staffId: string, since: number): Promise<EventNote[]> {
    const idx = await this.index(projectId);
    return idx.notes.filter((n) => n.at >= since && n.to.includes(staffId)).reverse();
  }
}

function step(idx: ProjectIndex, n: AppliedNotice): void {
  if (idx.stale || n.seq <= idx.headSeq) return;
  // A gap (notices from before the index was built are already in it), or a correction (past outcomes change): rebuild.
  if (n.seq !== idx.headSeq + 1 || n.event.type === 'correction') {
    idx.stale = true;
    return;
  }
  idx.headSeq = n.seq;
  idx.observe(n.event, n.outcome);
}

function disputeView(state: OfficeState, d: DisputeRecord, timezone: string, now: number, ruling: { eventId: string; at: number } | undefined): Dispute {
  const view = ownerOf(state, d.phone, now);
  const clause = view.basis?.clause ?? null;
  const text = clauseText(clause);
  return {
    id: d.id,
    kind: d.kind,
    at: new Date(d.at).toISOString(),
    local: formatLocalTime(d.at, timezone),
    customer: d.phone,
    name: state.customers.get(d.phone)?.name ?? null,
    staff: [...d.staff],
    evidence: [...d.evidence],
    decision: { owner: view.owner ?? 'none', status: view.status, clause, text: text ? { zh: text.zh, en: text.en } : null },
    ruling: ruling ? { eventId: ruling.eventId, at: new Date(ruling.at).toISOString() } : null,
  };
}
