// Queries: what the front desk, the card, the boards and the lists ask. They
// record nothing and read the engine's state in the project's cache; the card
// and the event pages read the events they show back from the store.
import { judgeArrival, judgeCompanions, ownerOf, reportView, policyAt } from '../domain/engine/index.ts';
import { isPhoneText, maskMatches, normalizePhone, parseMask } from '../domain/phone.ts';
import { localDay, formatLocalTime } from '../domain/time.ts';
import { clauseText } from './clauses.ts';
import { InvalidInputError, NotFoundError } from './errors.ts';
import { projectNotFound, type ProjectCaches } from './project-cache.ts';
import { judgeReason, ownerReason } from './reasons.ts';
import { dealJson, eventJson, lateness, rejectionJson, rotationOf, toIso } from './views.ts';
import type { OfficeEvent } from '../domain/events.ts';
import type { CustomerCard, DealSummary, EventDetail, EventsPage, Judgement, PolicyVersion, ReportRow, Rotation, Staff, TimelineItem } from '../shared/api-answers.ts';

export interface JudgeInput {
  phone: string;
  party?: string[];
  says?: Record<string, unknown>;
  at?: number;
  purpose?: 'tour' | 'deposit' | 'sign';
  recognizedBy?: string;
  /** The name typed for the customer, and for each companion (by index of `party`): a masked report must agree with it. */
  name?: string;
  partyNames?: (string | undefined)[];
}

export class Queries {
  constructor(private readonly caches: ProjectCaches, private readonly now: () => number) {}

  async judge(projectId: string, input: JudgeInput): Promise<Judgement> {
    return this.caches.read(projectId, (c) => {
      const at = input.at ?? this.now();
      const phone = requirePhone(input.phone, 'customer.phone');
      const party = (input.party ?? []).map((p, i) => requirePhone(p, `party.${i}.phone`));
      const says = { ...(input.says ?? {}) } as Record<string, unknown>;
      const ref = says.referredBy as { phone?: string } | undefined;
      if (ref && typeof ref.phone === 'string') says.referredBy = { ...ref, phone: requirePhone(ref.phone, 'says.referredBy.phone') };
      const state = c.timeline.state;
      const names = new Map<string, string>();
      if (input.name?.trim()) names.set(phone, input.name.trim());
      party.forEach((p, i) => { const n = input.partyNames?.[i]?.trim(); if (n) names.set(p, n); });
      const arrival = { phone, party, says, at, purpose: input.purpose, recognizedBy: input.recognizedBy, names };
      const policy = policyAt(state, at);
      const r = judgeArrival(state, arrival, policy);
      // Each companion judged on their own, as the registration will: the front desk sees it before registering.
      const companions = judgeCompanions(state, arrival, policy, r).map((m) => {
        const text = clauseText(m.basis.clause);
        return { phone: m.phone, outcome: m.outcome, owner: m.owner ?? 'none', changes: m.changes, previousOwner: m.previousOwner, claim: m.claim, reportId: m.reportId ?? null, basis: { clause: m.basis.clause, events: [...m.basis.events], text } };
      });
      const ownerText = clauseText(r.ownerBasis.clause);
      const receiverText = clauseText(r.receiverBasis.clause);
      return {
        receiver: r.receiver ?? 'none',
        owner: r.owner ?? 'none',
        countsAsTurn: r.countsAsTurn,
        basis: { clause: r.ownerBasis.clause, events: [...r.ownerBasis.events], text: ownerText },
        receiverBasis: { clause: r.receiverBasis.clause, events: [...r.receiverBasis.events], text: receiverText },
        claim: r.claim.kind,
        helperFor: r.helperFor ?? null,
        reason: judgeReason(r.receiver, r.owner, r.countsAsTurn, r.ownerBasis.clause, ownerText),
        party: companions,
        at: toIso(at),
      };
    });
  }

  async customer(projectId: string, phoneText: string, atInput?: number): Promise<CustomerCard> {
    return this.caches.read(projectId, async (c) => {
      const at = atInput ?? this.now();
      const phone = requirePhone(phoneText, 'phone');
      const state = c.timeline.state;
      const customer = state.customers.get(phone);
      const view = ownerOf(state, phone, at);
      const text = clauseText(view.basis?.clause);
      const tz = c.project.timezone;
      const protectionLeft = view.status === 'protected' && view.protectedUntil !== null
        ? { days: localDay(view.protectedUntil, tz) - localDay(at, tz), until: toIso(view.protectedUntil), untilLocal: formatLocalTime(view.protectedUntil, tz) }
        : null;
      // Everything from the state first (a write may land while the events are read back), then the events.
      const seqs = [...(c.phoneSeqs.get(phone) ?? [])];
      const card = {
        phone,
        name: customer?.name ?? null,
        owner: view.owner ?? 'none',
        status: view.status,
        protectedUntil: view.protectedUntil === null ? null : toIso(view.protectedUntil),
        protectionLeft,
        basis: view.basis ? { clause: view.basis.clause, events: [...view.basis.events], text } : null,
        reason: ownerReason(view, text),
        visits: customer?.visits ?? 0,
        deals: [...(customer?.deals ?? [])],
      };
      const rows = await this.caches.store.eventsAt(projectId, seqs);
      const timeline = rows.map((r): TimelineItem => {
        const rej = c.timeline.rejections.get(r.eventId);
        return {
          seq: r.seq, id: r.eventId, type: r.type, at: toIso(r.atMs), local: formatLocalTime(r.atMs, tz),
          recordedAt: r.recordedAt, recordedLocal: formatLocalTime(Date.parse(r.recordedAt), tz), ...lateness(r),
          status: r.status, current: rej ? 'rejected' : 'accepted', rejectionCode: rej?.code ?? null,
        };
      });
      return {
        ...card,
        timeline,
        at: toIso(at),
      };
    });
  }

  async rotation(projectId: string, atInput?: number): Promise<Rotation> {
    return this.caches.read(projectId, (c) => rotationOf(c.timeline.state, atInput ?? this.now(), c.turnsByDay));
  }

  async staff(projectId: string): Promise<Staff[]> {
    return this.caches.read(projectId, (c) => [...c.timeline.state.staff.values()].map((m) => ({ id: m.id, name: m.name ?? null, team: m.team ?? null, role: m.role, agency: m.agency ?? null, leftAt: m.leftAt === undefined ? null : toIso(m.leftAt) })));
  }

  async reports(projectId: string, atInput?: number): Promise<ReportRow[]> {
    return this.caches.read(projectId, (c) => {
      const at = atInput ?? this.now();
      const state = c.timeline.state;
      const out = [];
      for (const [id, rec] of c.reports) {
        const v = reportView(state, id, at, c.timeline.rejections.get(id));
        const r = state.reports.get(id);
        out.push({ id, seq: rec.seq, agent: rec.agent, status: v?.status ?? 'rejected', validUntil: r ? toIso(r.validUntil) : null, rejectionCode: c.timeline.rejections.get(id)?.code ?? null });
      }
      return out;
    });
  }

  async report(projectId: string, id: string, atInput?: number) {
    return this.caches.read(projectId, (c) => {
      const at = atInput ?? this.now();
      const rec = c.reports.get(id);
      const v = reportView(c.timeline.state, id, at, c.timeline.rejections.get(id));
      if (!rec || !v) throw new NotFoundError('report-not-found', `no report ${id}`, 'id');
      const r = c.timeline.state.reports.get(id);
      return { id, seq: rec.seq, status: v.status, agent: v.agent ?? rec.agent, validUntil: r ? toIso(r.validUntil) : null, converted: r?.convertedBy ? { eventId: r.convertedBy.eventId, at: toIso(r.convertedBy.at) } : null, basis: r ? { clause: r.basis.clause, events: [...r.basis.events] } : null, at: toIso(at) };
    });
  }

  async deals(projectId: string): Promise<DealSummary[]> {
    return this.caches.read(projectId, (c) => [...c.timeline.state.deals.keys()].map((id) => dealJson(c.timeline.state, id)!));
  }

  async deal(projectId: string, id: string): Promise<DealSummary> {
    return this.caches.read(projectId, (c) => {
      const d = dealJson(c.timeline.state, id);
      if (!d) throw new NotFoundError('deal-not-found', `no deal ${id}`, 'id');
      return d;
    });
  }

  async policies(projectId: string): Promise<PolicyVersion[]> {
    await this.caches.read(projectId, () => undefined);
    // `set` is stored as the JSON of an object (projector.ts, policyRow); read back as anything else, it overrides nothing.
    return (await this.caches.store.policies(projectId)).map((r) => ({ ...r, set: isObject(r.set) ? r.set : {} }));
  }

  /** The log, paged by seq. */
  async events(projectId: string, opts: { afterSeq?: number; limit?: number } = {}): Promise<EventsPage<OfficeEvent>> {
    const project = await this.caches.store.getProject(projectId);
    if (!project) throw projectNotFound(projectId);
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    const out = [];
    for await (const row of this.caches.store.readEvents(projectId, { fromSeq: (opts.afterSeq ?? 0) + 1, toSeq: (opts.afterSeq ?? 0) + limit, batchSize: limit })) {
      out.push(eventJson(row, project.timezone));
    }
    const last = out.at(-1)?.seq ?? opts.afterSeq ?? 0;
    return { events: out, nextAfterSeq: last < project.headSeq ? last : null, headSeq: project.headSeq };
  }

  async event(projectId: string, id: string): Promise<EventDetail<OfficeEvent>> {
    return this.caches.read(projectId, async (c) => {
      const [row] = await this.caches.store.findEvents(projectId, [id]);
      // An event appended after this cache's head is not there yet for this reader.
      if (!row || row.seq > c.headSeq) throw new NotFoundError('event-not-found', `no event ${id}`, 'id');
      const rej = c.timeline.rejections.get(id);
      const current = rej ? { status: 'rejected' as const, rejection: rejectionJson(rej) } : { status: 'accepted' as const };
      return { ...eventJson(row, c.project.timezone), current };
    });
  }

  /** Ids of the reports a channel agent filed that name this phone (in full, or as a mask it matches). */
  async reportedBy(projectId: string, staffId: string, phoneText: string): Promise<string[]> {
    const phone = requirePhone(phoneText, 'phone');
    return this.caches.read(projectId, (c) => {
      const out: string[] = [];
      for (const [id, rec] of c.reports) {
        if (rec.agent !== staffId) continue;
        const text = rec.phone;
        const mask = parseMask(text);
        if (normalizePhone(text) === phone || (mask && maskMatches(mask, phone))) out.push(id);
      }
      return out;
    });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function requirePhone(text: string, field: string): string {
  const phone = isPhoneText(text) ? normalizePhone(text) : undefined;
  if (!phone) throw new InvalidInputError(field, `not a valid mainland mobile number: ${text.slice(0, 40)}`, 'invalid-phone');
  return phone;
}
