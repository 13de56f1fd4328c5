// decide(state, event, policy): what an event means under the policy in force
// at its time — the changes to apply, each with its basis — or a rejection
// naming the field. Pure: the state is only read.
import type { CustomerRef, EventOf, OfficeEvent, Says } from '../events.ts';
import { maskFits, maskShapeWords, normalizePhone, parseMask } from '../phone.ts';
import { type Policy, caseClause } from '../policy/schema.ts';
import { PolicyError } from '../policy/resolve.ts';
import { reject } from '../rejection.ts';
import { parseShare, type Share } from '../shares.ts';
import { endOfPeriod, localDay, localDayFromCutoff } from '../time.ts';
import type { Change } from './changes.ts';
import { judgeCompanions, receive, type Arrival, type NamesByPhone } from './judge.ts';
import { closerWinsHousehold, ownerBasisOfDeal } from './deals.ts';
import { holdingOwner, ownerView, periodClause } from './ownership.ts';
import { customersForMask, reportsForMaskOrPhone, reportStatus } from './reports.ts';
import { pointerForNewRoster, takeTurn } from './rotation.ts';
import { type Basis, type Customer, type Deal, type OfficeState, type Ownership, type OwnershipVia, basis, customerByPhone, policyAt } from './state.ts';

export interface DecideContext {
  /** Resolves a policy event into a versioned policy (presets live outside the engine's hot path). */
  resolvePolicy: (event: EventOf<'policy'>, version: number) => Policy;
}

function phoneOf(ref: CustomerRef, field: string): string {
  const phone = normalizePhone(ref.phone);
  if (!phone) reject('invalid-phone', `${field}.phone`, `手机号无效：${ref.phone}`, `not a valid mainland mobile number: ${ref.phone}`);
  return phone;
}

function requireStaff(state: OfficeState, id: string, field: string, at: number): void {
  const member = state.staff.get(id);
  if (!member) reject('unknown-staff', field, `未登记的员工：${id}`, `unknown staff: ${id}`);
  if (member.leftAt !== undefined && member.leftAt <= at) reject('staff-left', field, `${member.name ?? id} 已离职`, `${id} has left the company`);
}

/** The business day an instant counts towards: after the daily cut-off (e.g. 18:00) it is the next day (shenyang-multi-team.1.3b). */
export function businessDay(state: OfficeState, at: number, policy: Policy): number {
  const cutoff = policy.parameters.daily_cutoff_and_deadlines.value.daily_cutoff;
  if (!cutoff) return localDay(at, state.timezone);
  return localDayFromCutoff(at, state.timezone, cutoffMinutes(cutoff));
}

let lastCutoff: string | undefined;
let lastCutoffMinutes = 0;
/** "18:00" → 1080, remembered: every contact asks. */
function cutoffMinutes(cutoff: string): number {
  if (cutoff !== lastCutoff) {
    const [h, m] = cutoff.split(':').map(Number) as [number, number];
    lastCutoffMinutes = h * 60 + m;
    lastCutoff = cutoff;
  }
  return lastCutoffMinutes;
}

const NO_EXTRA: Pick<Ownership, 'previousOwner' | 'designatedOnly' | 'voidedBy'> = Object.freeze({});

/** An ownership acquired `via` at `day`, with the periods it runs on: protection, follow-up gap and first callback, with the clauses that set them. */
function ownership(owner: string | null, via: OwnershipVia, at: number, day: number, b: Basis, policy: Policy, customer: Customer | undefined, extra: Pick<Ownership, 'previousOwner' | 'designatedOnly' | 'voidedBy'> = NO_EXTRA, isFirstVisit = false): Ownership {
  const p = policy.parameters;
  const f = p.follow_up_max_gap_days.value;
  let protectionDays: number | null;
  let gapDays: number | null;
  let firstDueDay: number | null = null;
  let renews: boolean;
  let periods: NonNullable<Ownership['periods']>;
  if (via === 'call') {
    protectionDays = p.call_protection_days.value.days;
    gapDays = f.call;
    renews = f.renews_protection;
    periods = { protection: p.call_protection_days.clause, gap: caseClause(p.follow_up_max_gap_days, 'call') };
  } else if (via === 'referral' && p.referral_window_days.value.rule === 'window') {
    protectionDays = p.referral_window_days.value.window_days;
    gapDays = null;
    renews = false;
    periods = { protection: p.referral_window_days.clause };
  } else {
    protectionDays = p.visit_protection_days.value;
    gapDays = f.visit;
    firstDueDay = isFirstVisit && f.first_callback_due_days !== null && !customer?.firstVisit ? day + f.first_callback_due_days : null;
    renews = f.renews_protection;
    const holds = p.visit_protection_days.clauses?.holds;
    const gap = p.follow_up_max_gap_days.clause;
    periods = holds ? { protection: p.visit_protection_days.clause, holds, gap, firstDue: gap } : { protection: p.visit_protection_days.clause, gap, firstDue: gap };
  }
  return {
    owner,
    via,
    since: at,
    startDay: day,
    lastContactDay: day,
    protectionDays,
    gapDays,
    firstDueDay,
    firstCallbackDone: false,
    renews,
    periods,
    closed: false,
    basis: b,
    previousOwner: extra.previousOwner,
    designatedOnly: extra.designatedOnly,
    voidedBy: extra.voidedBy,
  };
}

function customerChange(ref: CustomerRef, phone: string): Change {
  return ref.name ? { kind: 'customer', phone, name: ref.name } : { kind: 'customer', phone };
}

function requireName(state: OfficeState, ref: CustomerRef, phone: string, field: string, policy: Policy): void {
  const rule = policy.parameters.registration_required_fields;
  if (rule.value.includes('name') && !ref.name && !customerByPhone(state, phone)?.name) {
    reject('missing-field', `${field}.name`, '登记缺少客户姓名', 'the registration has no customer name');
  }
}

export function decide(state: OfficeState, event: OfficeEvent, ctx: DecideContext): Change[] {
  const policy = policyAt(state, event.at);
  switch (event.type) {
    case 'staff':
      return [{ kind: 'staff', member: { id: event.staff, name: event.name, team: event.team, role: event.role, agency: event.agency } }];
    case 'policy':
      try {
        return [{ kind: 'policy', policy: ctx.resolvePolicy(event, state.policies.length + 1) }];
      } catch (e) {
        if (e instanceof PolicyError) reject('invalid-field', e.field.replace(/^policy\./, ''), `政策设置无效：${e.message}`, `invalid policy: ${e.message}`);
        throw e;
      }
    case 'duty': {
      event.order.forEach((s, i) => requireStaff(state, s, `order.${i}`, event.at));
      const pointer = pointerForNewRoster(state, event.order, policy);
      return [{ kind: 'roster', order: [...event.order], pointer, day: localDay(event.at, state.timezone), eventId: event.id, basis: basis(policy.parameters.daily_cutoff_and_deadlines.clause, event.id) }];
    }
    case 'status': {
      requireStaff(state, event.staff, 'staff', event.at);
      const until = event.until ?? endOfPeriod(localDay(event.at, state.timezone), 0, state.timezone);
      return [{ kind: 'presence', staff: event.staff, presence: { state: event.state, until, eventId: event.id } }];
    }
    case 'visit':
      return decideVisit(state, event, policy);
    case 'call':
      return decideCall(state, event, policy);
    case 'recognize':
      return decideRecognize(state, event, policy);
    case 'followup':
      return decideFollowup(state, event, policy);
    case 'outreach':
      return decideOutreach(state, event, policy);
    case 'report':
      return decideReport(state, event, policy);
    case 'referral': {
      const referrer = phoneOf(event.referrer, 'referrer');
      const referred = phoneOf(event.referred, 'referred');
      if (event.consultant) requireStaff(state, event.consultant, 'consultant', event.at);
      const out: Change[] = [customerChange(event.referrer, referrer), customerChange(event.referred, referred)];
      // With two referrers for one customer, the first counts (internal-jieding-06.4.2).
      if (!customerByPhone(state, referred)?.referral) {
        out.push({ kind: 'referral', phone: referred, referral: { referrer, consultant: event.consultant, accompanied: event.accompanied ?? false, at: event.at, eventId: event.id } });
      }
      return out;
    }
    case 'relation': {
      const a = phoneOf(event.a, 'a');
      const b = phoneOf(event.b, 'b');
      return [customerChange(event.a, a), customerChange(event.b, b), { kind: 'relation', a, b, relation: event.kind, at: event.at, eventId: event.id }];
    }
    case 'staff-relation': {
      requireStaff(state, event.staff, 'staff', event.at);
      const phone = phoneOf(event.customer, 'customer');
      return [customerChange(event.customer, phone), { kind: 'staff-relation', phone, staff: event.staff, relation: event.kind, at: event.at, eventId: event.id }];
    }
    case 'deal':
      return decideDeal(state, event, policy);
    case 'complaint':
      return decideComplaint(state, event, policy);
    case 'no-contact': {
      const phone = phoneOf(event.customer, 'customer');
      return [customerChange(event.customer, phone), { kind: 'no-contact', phone, until: event.until ?? null, untilDay: event.until !== undefined ? localDay(event.until, state.timezone) : undefined }];
    }
    case 'leave':
      return decideLeave(state, event, policy);
    case 'campaign':
      if (event.until < event.at) reject('invalid-field', 'until', '活动结束时间早于开始时间', 'the campaign ends before it starts');
      return [{ kind: 'campaign', from: event.at, until: event.until, eventId: event.id }];
    case 'ruling':
      return decideRuling(state, event, policy);
    case 'correction':
      // Corrections are applied by the timeline, which replays the corrected registration in its place.
      return [];
    case 'objection':
      return decideObjection(state, event);
    case 'settings':
      return decideSettings(state, event);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

const NO_PARTY: readonly { ref: CustomerRef; phone: string }[] = Object.freeze([]);
const NO_PHONES: readonly string[] = Object.freeze([]);
const NO_SAYS: Says = Object.freeze({});

function requireSaidStaff(state: OfficeState, id: string | undefined, field: 'consultant' | 'invitedBy' | 'avoid'): void {
  if (id !== undefined && id !== 'unknown' && !state.staff.has(id)) reject('unknown-staff', `says.${field}`, `未登记的员工：${id}`, `unknown staff: ${id}`);
}

/**
 * The names given at an arrival, by phone: a masked report must agree with them where the policy requires the name.
 * Looked up in the registration itself when asked (most arrivals never are), rather than copied into a map per visit:
 * a companion's name as the last mention of their phone gives it, the customer's as given.
 */
class ArrivalNames implements NamesByPhone {
  constructor(
    private readonly phone: string,
    private readonly name: string | undefined,
    private readonly party: readonly { ref: CustomerRef; phone: string }[],
  ) {}

  get(phone: string): string | undefined {
    for (let i = this.party.length - 1; i >= 0; i--) {
      const m = this.party[i]!;
      if (m.phone === phone && m.ref.name) return m.ref.name;
    }
    return phone === this.phone && this.name ? this.name : undefined;
  }
}

function decideVisit(state: OfficeState, event: EventOf<'visit'>, policy: Policy): Change[] {
  const phone = phoneOf(event.customer, 'customer');
  requireName(state, event.customer, phone, 'customer', policy);
  const party = event.party?.length ? event.party.map((ref, i) => ({ ref, phone: phoneOf(ref, `party.${i}`) })).filter((m) => m.phone !== phone) : NO_PARTY;
  if (event.receivedBy) requireStaff(state, event.receivedBy, 'receivedBy', event.at);
  if (event.recognizedBy) requireStaff(state, event.recognizedBy, 'recognizedBy', event.at);
  const says = event.says ?? NO_SAYS;
  requireSaidStaff(state, says.consultant, 'consultant');
  requireSaidStaff(state, says.invitedBy, 'invitedBy');
  requireSaidStaff(state, says.avoid, 'avoid');
  const referredBy = says.referredBy ? { ...says.referredBy, phone: phoneOf(says.referredBy, 'says.referredBy') } : undefined;
  const arrival: Arrival = {
    phone,
    party: party.length ? party.map((m) => m.phone) : NO_PHONES,
    says: referredBy ? { ...says, referredBy } : says,
    at: event.at,
    purpose: event.purpose,
    group: event.group,
    recognizedBy: event.recognizedBy,
    names: new ArrivalNames(phone, event.customer.name, party),
  };
  const reception = receive(state, arrival, policy, event.receivedBy);
  const receiver = reception.receiver;
  if (!receiver) reject('missing-field', 'receivedBy', '当前无人可接待，请填写接待顾问', 'nobody is free to receive: name the receiving consultant');
  const day = businessDay(state, event.at, policy);
  const customer = customerByPhone(state, phone);
  const out: Change[] = [customerChange(event.customer, phone)];
  const contact = { kind: 'visit' as const, staff: receiver, at: event.at, day, eventId: event.id };

  if (reception.countsAsTurn) out.push({ kind: 'turn', turn: takeTurn(state, receiver, event.at, policy, reception.designatedTurn ? 'designated' : 'rotation'), at: event.at, basis: reception.receiverBasis });

  const owner = reception.owner;
  if (reception.newOwnership && owner) {
    const o = ownership(owner, reception.newOwnership.via, event.at, day, reception.ownerBasis.events.includes(event.id) ? reception.ownerBasis : { ...reception.ownerBasis, events: [...reception.ownerBasis.events, event.id] }, policy, customer, {
      previousOwner: reception.newOwnership.previousOwner ?? undefined,
      designatedOnly: reception.newOwnership.designatedOnly && owner !== receiver ? true : undefined,
      voidedBy: reception.newOwnership.voidedBy,
    }, !customer?.firstVisit);
    if (reception.newOwnership.referralWindow && policy.parameters.referral_window_days.value.rule === 'window' && customer?.referral) {
      o.startDay = localDay(customer.referral.at, state.timezone);
    }
    out.push({ kind: 'ownership', phone, ownership: o });
  } else if (owner && customer?.ownership?.owner === owner && customer.ownership.via === 'call' && !customer.firstVisit && reception.view.status !== 'lapsed' && policy.parameters.follow_up_max_gap_days.value.first_callback_due_days !== null) {
    // A caller's first visit: the caller's consultant keeps them (callback-direct-kin.5), and from now on the visitor's
    // periods govern — the callback due after the first visit (callback-direct-kin.4) — not the callers' weekly one.
    const held = customer.ownership;
    out.push({ kind: 'ownership', phone, ownership: ownership(owner, 'visit', event.at, day, { ...held.basis, events: [...held.basis.events, event.id] }, policy, customer, { previousOwner: held.previousOwner ?? undefined }, true) });
  } else if (owner && customer?.ownership?.owner === owner && (reception.view.status !== 'lapsed' || receiver === owner)) {
    // A lapsed owner's protection is renewed by their own reception only, not a colleague's standing in.
    out.push({ kind: 'renew', phone, day, callback: false });
  }
  if (reception.reportId) {
    out.push({ kind: 'report-converted', reportId: reception.reportId, eventId: event.id, phone, at: event.at, basis: basis(policy.clauses.reportConverted, reception.reportId, event.id) });
  }
  if (reception.helperFor) {
    out.push({ kind: 'helper', phone, helper: { staff: receiver, owner: reception.helperFor, at: event.at, day, eventId: event.id, basis: reception.receiverBasis, denied: reception.denied || undefined, ownerPresent: reception.ownerPresent || undefined, obligatory: reception.obligatory || undefined } });
  }
  if (reception.coClaim) out.push({ kind: 'co-claim', phone, claim: reception.coClaim });
  if (event.recognizedBy) out.push({ kind: 'recognition', phone, staff: event.recognizedBy, at: event.at, day, eventId: event.id });
  out.push({ kind: 'contact', phone, contact, receiver });
  out.push({ kind: 'reception', staff: receiver, at: event.at, day, ownCustomer: owner === receiver && !reception.countsAsTurn, phone });

  // The party: one reception, one turn (consultant-rotation-detail.10); members with no claim of their own follow it.
  if (party.length > 0) {
    out.push({ kind: 'party', phones: [phone, ...party.map((m) => m.phone)], at: event.at, eventId: event.id });
    // Each companion is judged on their own (judgeCompanions): theirs stays theirs, a valid report converts to its agent.
    const outcomes = judgeCompanions(state, arrival, policy, reception);
    for (const m of party) {
      out.push(customerChange(m.ref, m.phone));
      const o = outcomes.find((x) => x.phone === m.phone);
      const mc = customerByPhone(state, m.phone);
      if (o?.outcome === 'own') {
        out.push({ kind: 'renew', phone: m.phone, day, callback: false });
      } else if (o?.changes && o.owner) {
        const b = o.basis.events.includes(event.id) ? o.basis : { ...o.basis, events: [...o.basis.events, event.id] };
        out.push({ kind: 'ownership', phone: m.phone, ownership: ownership(o.owner, o.via, event.at, day, b, policy, mc, { previousOwner: o.previousOwner ?? undefined }, !mc?.firstVisit) });
        if (o.reportId) out.push({ kind: 'report-converted', reportId: o.reportId, eventId: event.id, phone: m.phone, at: event.at, basis: basis(policy.clauses.reportConverted, o.reportId, event.id) });
      }
      out.push({ kind: 'contact', phone: m.phone, contact, receiver });
    }
  }
  return out;
}

function decideCall(state: OfficeState, event: EventOf<'call'>, policy: Policy): Change[] {
  requireStaff(state, event.staff, 'staff', event.at);
  const phone = phoneOf(event.customer, 'customer');
  const p = policy.parameters;
  const customer = customerByPhone(state, phone);
  const view = ownerView(state, customer, event.at);
  const held = holdingOwner(view);
  const day = businessDay(state, event.at, policy);
  const out: Change[] = [customerChange(event.customer, phone)];
  out.push({ kind: 'call', phone, call: { staff: event.staff, direction: event.direction, at: event.at, appointment: event.appointment, eventId: event.id } });
  out.push({ kind: 'contact', phone, contact: { kind: 'call', staff: event.staff, at: event.at, day, eventId: event.id } });
  const rule = p.call_protection_days.value;
  // A visit goes by the rotation unless the call made an appointment (reception-ab-split.7, consultant-rotation-detail.6): a call without one makes no claim.
  const appointmentOnly = p.call_vs_visit_precedence.value === 'visit_rotation_unless_appointment' && event.appointment === undefined;
  const owns =
    event.leftOwnName || appointmentOnly ? false : !event.directions || rule.directions_call_owns
      ? rule.ownership === 'always' || (rule.ownership === 'appointment' && event.appointment !== undefined)
      : false;
  if (held === event.staff) {
    out.push({ kind: 'renew', phone, day, callback: true });
    return out;
  }
  if (held) {
    const o = view.ownership!;
    if (event.direction === 'out') {
      out.push({ kind: 'alert', alert: { kind: 'call-to-colleagues-customer', at: event.at, customer: phone, staff: event.staff, basis: basis(policy.clauses.colleagueCall, event.id), message: `${event.staff} 致电 ${held} 的客户` } });
    }
    // Registered on the call list and the visit list the same day: the call comes first (shenyang-multi-team.2.1b).
    if (
      owns &&
      event.direction === 'in' &&
      p.call_vs_visit_precedence.value === 'call_first_if_same_day' &&
      o.via === 'visit' &&
      !o.closed &&
      o.startDay === day
    ) {
      out.push({ kind: 'ownership', phone, ownership: ownership(event.staff, 'call', event.at, day, basis(p.call_vs_visit_precedence.clause, event.id, ...o.basis.events), policy, customer, { previousOwner: held }) });
    }
    return out;
  }
  if (owns && !departedPool(view, policy)) {
    const b = view.status === 'lapsed' ? basis(lapseClause(view, customer, policy), event.id, ...(view.basis?.events ?? [])) : basis(policy.clauses.callOwner, event.id);
    out.push({ kind: 'ownership', phone, ownership: ownership(event.staff, 'call', event.at, day, b, policy, customer, { previousOwner: view.owner ?? undefined }) });
  }
  return out;
}

/** A lapse cites the clause whose period ran out (visit or call protection, follow-up gap, first callback), else the rulebook's lapse rule. */
function lapseClause(view: ReturnType<typeof ownerView>, customer: Customer | undefined, policy: Policy): string {
  return (view.ownership && periodClause(view.ownership, customer)) ?? policy.clauses.lapse;
}

/** A departed consultant's customer in the department's pool: the manager reassigns; nobody takes them by a call (attribution-definition.2.3). */
function departedPool(view: ReturnType<typeof ownerView>, _policy: Policy): boolean {
  return view.status === 'public' && view.ownership?.departedPool === true;
}

function decideRecognize(state: OfficeState, event: EventOf<'recognize'>, policy: Policy): Change[] {
  requireStaff(state, event.staff, 'staff', event.at);
  const phone = phoneOf(event.customer, 'customer');
  const customer = customerByPhone(state, phone);
  const day = localDay(event.at, state.timezone);
  const out: Change[] = [customerChange(event.customer, phone), { kind: 'recognition', phone, staff: event.staff, at: event.at, day, eventId: event.id }];
  const o = customer?.ownership;
  const last = customer?.lastVisit;
  // Recognised during someone else's reception the same day: handed over, and it was not the receiver's turn (site-draft-one-month.4a).
  // Not where the earlier consultant's protection was voided by the reception itself (internal-jieding-06.2.3).
  if (o && last && !o.voidedBy && last.day === day && last.receiver !== event.staff && o.owner === last.receiver && o.previousOwner === event.staff && o.since === last.at) {
    const restored: Ownership = { ...o, owner: event.staff, previousOwner: last.receiver, basis: basis(policy.clauses.recognizedHandover, event.id, last.eventId) };
    out.push({ kind: 'ownership', phone, ownership: restored });
    out.push({ kind: 'make-up', staff: last.receiver, makeUp: { reason: 'handover', basis: basis(policy.clauses.recognizedHandover, event.id, last.eventId), at: event.at } });
  }
  return out;
}

function decideFollowup(state: OfficeState, event: EventOf<'followup'>, policy: Policy): Change[] {
  requireStaff(state, event.staff, 'staff', event.at);
  const phone = phoneOf(event.customer, 'customer');
  const customer = customerByPhone(state, phone);
  const view = ownerView(state, customer, event.at);
  const day = businessDay(state, event.at, policy);
  const out: Change[] = [customerChange(event.customer, phone), { kind: 'contact', phone, contact: { kind: 'followup', staff: event.staff, at: event.at, day, eventId: event.id } }];
  if (event.effective === false) return out;
  if (view.owner === event.staff && view.status !== 'lapsed' && view.status !== 'public') {
    out.push({ kind: 'renew', phone, day, callback: true });
  } else if (view.status === 'lapsed') {
    // Protection ran out: the next effective contact decides — the owner renews, another who develops the customer takes it (onsite-offsite-outreach.1.2).
    const taker = view.owner === event.staff || policy.parameters.lapse_effect.value === 'developing_rep';
    if (taker) out.push({ kind: 'ownership', phone, ownership: ownership(event.staff, view.ownership!.via, event.at, day, basis(view.owner === event.staff ? policy.clauses.lapse : policy.parameters.lapse_effect.clause, event.id), policy, customer, { previousOwner: view.owner }) });
  }
  return out;
}

function decideOutreach(state: OfficeState, event: EventOf<'outreach'>, policy: Policy): Change[] {
  requireStaff(state, event.staff, 'staff', event.at);
  const phone = phoneOf(event.customer, 'customer');
  const rules = policy.parameters.channel_report_rules;
  if (rules.value.outreach_form_required) {
    if (!event.place) reject('missing-field', 'place', '外拓登记缺少地址', 'the outreach form has no place');
    if (!event.company) reject('missing-field', 'company', '外拓登记缺少企业名', 'the outreach form has no company');
    if (!event.customer.name && !customerByPhone(state, phone)?.name) reject('missing-field', 'customer.name', '外拓登记缺少客户姓名', 'the outreach form has no customer name');
  }
  const customer = customerByPhone(state, phone);
  const view = ownerView(state, customer, event.at);
  const held = holdingOwner(view);
  const day = businessDay(state, event.at, policy);
  const out: Change[] = [customerChange(event.customer, phone), { kind: 'contact', phone, contact: { kind: 'outreach', staff: event.staff, at: event.at, day, eventId: event.id } }];
  if (held === event.staff) {
    out.push({ kind: 'renew', phone, day, callback: true });
  } else if (held) {
    // Reached at the same moment: the consultant for the merchant's business type counts as first (onsite-offsite-outreach.2.2).
    const first = customer?.firstContact;
    const sameMoment = first?.kind === 'outreach' && first.at === event.at;
    if (sameMoment && event.sector && state.staff.get(event.staff)?.team === event.sector && state.staff.get(held)?.team !== event.sector) {
      out.push({ kind: 'ownership', phone, ownership: ownership(event.staff, 'outreach', event.at, day, basis(policy.clauses.outreachSameTime, event.id, first.eventId), policy, customer, { previousOwner: held }) });
    }
  } else if (!departedPool(view, policy)) {
    const b = view.status === 'lapsed' ? basis(lapseClause(view, customer, policy), event.id) : basis(policy.clauses.outreachOwner, event.id);
    out.push({ kind: 'ownership', phone, ownership: ownership(event.staff, 'outreach', event.at, day, b, policy, customer, { previousOwner: view.owner ?? undefined }) });
  }
  return out;
}

/** A renewal's note that the customer could not be reached: phone suspended or off, no answer (channel-sms-report.2e). */
const UNREACHABLE = /停机|关机|欠费|空号|联系不上|未能联系|无法联系|无法接通|打不通|unreachable|switched off|suspended/i;

function decideReport(state: OfficeState, event: EventOf<'report'>, policy: Policy): Change[] {
  requireStaff(state, event.staff, 'staff', event.at);
  const rules = policy.parameters.channel_report_rules;
  const c = policy.clauses;
  const mask = parseMask(event.customer.phone);
  const phone = mask ? undefined : phoneOf(event.customer, 'customer');
  if (mask && rules.value.masked_phone && !maskFits(mask, rules.value.masked_phone)) {
    // The words the channel form shows for the same refusal (checkPhoneText).
    const w = maskShapeWords(rules.value.masked_phone);
    reject('invalid-phone', 'customer.phone', `隐号须为${w.zh}`, `a masked phone must show the ${w.en}`);
  }
  const name = event.customer.name ?? (phone ? customerByPhone(state, phone)?.name : undefined);
  if (event.checkedBy) requireStaff(state, event.checkedBy, 'checkedBy', event.at);
  if (rules.value.require_name_and_time) {
    if (!name) reject('missing-field', 'customer.name', '报备须写明客户姓名或姓氏', 'a report needs the customer name or surname');
  }
  const day = localDay(event.at, state.timezone);
  const validUntil = endOfPeriod(day, rules.value.validity_days, state.timezone);
  if (event.expectedAt !== undefined && event.expectedAt > validUntil) {
    reject('report-expected-too-late', 'expectedAt', `预期到访须在${rules.value.validity_days}天内`, `the expected visit must fall within ${rules.value.validity_days} days`);
  }
  // Who could this be: a full number, or every known customer a mask fits.
  // Where the policy requires the name, one on record under another name is not who a mask reports (channel-sms-report.2c).
  const candidates = phone ? [phone] : customersForMask(state, mask!, rules.value.require_name_and_time ? name : undefined);
  const visited = candidates.filter((x) => customerByPhone(state, x)?.firstVisit !== undefined);
  if (phone ? visited.length > 0 : visited.length > 0 && visited.length === candidates.length) {
    reject('report-after-visit', 'customer', '客户已首访，报备在后视为自然来访', 'the customer already visited: a report after the first visit is a natural walk-in');
  }
  const earlier = reportsForMaskOrPhone(state, phone, mask);
  if (earlier.some((r) => reportStatus(r, event.at) === 'valid')) {
    reject('duplicate-report', 'customer', '该客户已有有效报备', 'the customer is already validly reported');
  }
  // Consecutive lapsed reports: past the limit the customer becomes a public lead (channel-sms-report.2f).
  const lapsed = earlier.filter((r) => reportStatus(r, event.at) === 'expired').length;
  if (lapsed >= rules.value.max_consecutive_reports) {
    reject('report-public', 'customer', `连续${rules.value.max_consecutive_reports}次报备未到访，已作为公号`, `${lapsed} reports lapsed in a row: the customer is a public lead`);
  }
  // A renewal says why the customer did not come (2d); a note that the customer could not be reached (停机、关机),
  // checked by the sales assistant, makes it a renewal even without an arrival time nobody could agree (2e).
  const reason = event.reason?.trim();
  if (lapsed > 0 && rules.value.require_name_and_time && !reason) {
    reject('missing-field', 'reason', '重新报备须说明未到访原因', 'a renewed report needs the reason the customer did not come');
  }
  const checker = event.checkedBy ? state.staff.get(event.checkedBy)?.role : undefined;
  const unreachable = lapsed > 0 && reason !== undefined && UNREACHABLE.test(reason) && (checker === 'frontdesk' || checker === 'manager');
  if (rules.value.require_name_and_time && event.expectedAt === undefined && !unreachable) {
    reject('missing-field', 'expectedAt', '报备须写明预约到访时间', 'a report needs the expected visit time');
  }
  const report = {
    id: event.id,
    agent: event.staff,
    phone,
    mask,
    name,
    at: event.at,
    day,
    expectedAt: event.expectedAt,
    validUntil,
    candidates: candidates.length > 1 ? candidates : undefined,
    basis: basis(rules.clause, event.id),
  };
  const out: Change[] = [];
  if (phone) out.push(customerChange(event.customer, phone));
  // The last report the limit allows: if it lapses too, the customer is a public lead (2f).
  out.push({ kind: 'report', report, failures: lapsed, publicLead: lapsed + 1 >= rules.value.max_consecutive_reports ? basis(c.reportPublic, ...earlier.map((r) => r.id), event.id) : undefined });
  if (candidates.length > 1) {
    out.push({ kind: 'alert', alert: { kind: 'ambiguous-report', at: event.at, staff: event.staff, basis: basis(rules.clause, event.id), message: `隐号 ${event.customer.phone} 可对应 ${candidates.length} 位已登记客户` } });
  }
  return out;
}

function decideDeal(state: OfficeState, event: EventOf<'deal'>, policy: Policy): Change[] {
  if (event.stage === 'cancel') return decideCancel(state, event, policy);
  requireStaff(state, event.closedBy, 'closedBy', event.at);
  const phones = event.customers.map((ref, i) => phoneOf(ref, `customers.${i}`));
  const existing = state.deals.get(event.deal);
  if (existing?.cancelled) reject('deal-cancelled', 'deal', `成交 ${event.deal} 已退订，不能再${event.stage === 'contract' ? '签约' : '认购'}`, `deal ${event.deal} was cancelled: no stage follows`);
  if (event.unit) {
    const holder = state.units.get(event.unit);
    if (holder && holder !== event.deal) {
      reject('unit-taken', 'unit', `${event.unit} 已由他人先付定金认购`, `unit ${event.unit} is held by an earlier deposit (${holder})`);
    }
  }
  const day = localDay(event.at, state.timezone);
  const out: Change[] = event.customers.map((ref, i) => customerChange(ref, phones[i]!));
  const primary = phones[0]!;
  const view = ownerView(state, customerByPhone(state, primary), event.at);
  const ownerAtDeal = existing ? existing.ownerAtDeal : holdingOwner(view);
  // A household the consultants contest: under closer-wins the closer takes it (onsite-offsite-outreach.2.3c).
  const contested = existing ? undefined : closerWinsHousehold(state, phones, event.closedBy, event.at, policy, event.id);
  const record: Deal = {
    id: event.deal,
    customers: phones,
    closedBy: event.closedBy,
    stage: event.stage,
    unit: event.unit ?? existing?.unit,
    price: event.price ?? existing?.price,
    at: existing?.at ?? event.at,
    day: existing?.day ?? day,
    eventIds: [...(existing?.eventIds ?? []), event.id],
    ownerAtDeal,
    ownerBasisAtDeal: existing ? existing.ownerBasisAtDeal : ownerAtDeal ? view.ownership?.basis : undefined,
    lapsedOwner: existing ? existing.lapsedOwner : view.status === 'lapsed' && view.owner !== event.closedBy ? (view.owner ?? undefined) : undefined,
    ruling: existing?.ruling,
    closerWins: existing ? existing.closerWins : contested?.basis,
  };
  out.push({ kind: 'deal', deal: record });
  // The buyer stays with their owner for good; one nobody holds goes to the closer. Either cites the clause that gave them
  // the deal's credit, or the rulebook's own clause on buyers (shenyang-multi-team.2.2b): `ownerBasisOfDeal`.
  for (const phone of phones) {
    const customer = customerByPhone(state, phone);
    const v = ownerView(state, customer, event.at);
    const held = holdingOwner(v);
    if (held) {
      const heldBy = v.ownership!.basis;
      if (!v.ownership!.closed) out.push({ kind: 'ownership', phone, ownership: { ...v.ownership!, closed: true, closedByDeal: { id: event.deal, heldBy }, basis: ownerBasisOfDeal(state, held, record, heldBy) } });
    } else {
      const heldBy = basis(v.status === 'lapsed' ? policy.parameters.lapse_effect.clause : policy.clauses.firstVisitOwner, event.id);
      out.push({ kind: 'ownership', phone, ownership: { ...ownership(event.closedBy, 'deal', event.at, day, ownerBasisOfDeal(state, event.closedBy, record, heldBy), policy, customer, { previousOwner: v.owner ?? undefined }), closed: true, closedByDeal: { id: event.deal, heldBy } } });
    }
  }
  // The closer owns the contested household, buyers and family alike (onsite-offsite-outreach.2.3c).
  for (const m of contested?.members ?? []) {
    out.push({ kind: 'ownership', phone: m.phone, ownership: { ...ownership(event.closedBy, 'deal', event.at, day, contested!.basis, policy, customerByPhone(state, m.phone), { previousOwner: m.owner }), closed: true } });
  }
  return out;
}

/**
 * A cancellation (退订 before the contract, 退房 after): the deal stays on
 * record as cancelled, its unit is free for the next deposit, and the credit
 * it gave is reversed in the ledger. A buyer the deal closed, with no other
 * live deal, stays with their owner under a new protection period from the
 * cancellation, as after a visit. Every rulebook is silent: the policy's
 * `dealCancelled` clause (`<rulebook>:default`).
 */
function decideCancel(state: OfficeState, event: EventOf<'deal'>, policy: Policy): Change[] {
  const existing = state.deals.get(event.deal);
  if (!existing) reject('unknown-deal', 'deal', `未找到成交：${event.deal}`, `no such deal: ${event.deal}`);
  if (existing.cancelled || existing.stage === 'cancelled') reject('deal-cancelled', 'deal', `成交 ${event.deal} 已退订`, `deal ${event.deal} is already cancelled`);
  const day = localDay(event.at, state.timezone);
  const b = basis(policy.clauses.dealCancelled, event.id, existing.eventIds[0]);
  const out: Change[] = [{
    kind: 'deal',
    deal: { ...existing, stage: 'cancelled', eventIds: [...existing.eventIds, event.id], cancelled: { at: event.at, day, eventId: event.id, from: existing.stage, reason: event.reason, basis: b } },
  }];
  for (const phone of existing.customers) {
    const customer = customerByPhone(state, phone);
    const o = customer?.ownership;
    if (!customer || !o || !o.closed || o.owner === null) continue;
    if (customer.deals?.some((id) => id !== existing.id && !state.deals.get(id)?.cancelled)) continue;
    out.push({ kind: 'ownership', phone, ownership: ownership(o.owner, 'deal', event.at, day, b, policy, customer) });
  }
  return out;
}

function decideSettings(state: OfficeState, event: EventOf<'settings'>): Change[] {
  if (event.by) requireStaff(state, event.by, 'by', event.at);
  const exact = <K extends string>(rates: Partial<Record<K, string | number>>, field: string) => {
    const out: Partial<Record<K, Share>> = {};
    for (const [k, v] of Object.entries(rates) as [K, string | number][]) {
      const r = parseShare(v);
      if (!r || r.num > r.den) reject('invalid-field', `${field}.${k}`, `佣金比例无效：${String(v)}`, `not a rate from 0 to 1: ${String(v)}`);
      out[k] = r;
    }
    return out;
  };
  const roles = exact(event.commission.roles, 'commission.roles');
  const agencies = exact(event.commission.agencies, 'commission.agencies') as Record<string, Share>;
  return [{ kind: 'settings', settings: { effectiveAt: event.effectiveAt ?? event.at, commission: { roles, agencies }, eventId: event.id } }];
}

function decideComplaint(state: OfficeState, event: EventOf<'complaint'>, policy: Policy): Change[] {
  requireStaff(state, event.against, 'against', event.at);
  if (event.reassignTo) requireStaff(state, event.reassignTo, 'reassignTo', event.at);
  const phone = phoneOf(event.customer, 'customer');
  const rule = policy.parameters.complaint_outcome;
  const b = basis(caseClause(rule, event.fault === 'service' ? 'service_fault' : 'other_fault'), event.id);
  const customer = customerByPhone(state, phone);
  const view = ownerView(state, customer, event.at);
  const out: Change[] = [customerChange(event.customer, phone), { kind: 'complaint', phone, complaint: { against: event.against, reassignTo: event.reassignTo, fault: event.fault, at: event.at, eventId: event.id, basis: b } }];
  if (view.owner !== event.against || view.status === 'public') return out;
  const transfers = rule.value === 'designee_gets_all' || rule.value === 'agent_reassigned' || event.fault === 'service';
  if (transfers) {
    const day = businessDay(state, event.at, policy);
    const o = ownership(event.reassignTo ?? null, 'complaint', event.at, day, b, policy, customer, { previousOwner: event.against });
    out.push({ kind: 'ownership', phone, ownership: { ...o, closed: view.ownership?.closed ?? false } });
  }
  return out;
}

/**
 * An objection at the day-end review is recorded on the customer it concerns
 * (a deal's: its first buyer); whether it changes anything is the deal
 * split's question (internal-jieding-06.2.1b), which reads its time and evidence.
 */
function decideObjection(state: OfficeState, event: EventOf<'objection'>): Change[] {
  requireStaff(state, event.staff, 'staff', event.at);
  let phone: string;
  const out: Change[] = [];
  if (event.customer) {
    phone = phoneOf(event.customer, 'customer');
    out.push(customerChange(event.customer, phone));
  } else if (event.deal !== undefined) {
    const deal = state.deals.get(event.deal);
    if (!deal) reject('unknown-deal', 'deal', `未找到成交：${event.deal}`, `no such deal: ${event.deal}`);
    phone = deal.customers[0]!;
  } else {
    reject('missing-field', 'customer', '异议须指明客户或成交', 'an objection names a customer or a deal');
  }
  out.push({ kind: 'objection', phone, objection: { staff: event.staff, at: event.at, day: localDay(event.at, state.timezone), eventId: event.id, evidence: event.evidence, deal: event.deal } });
  return out;
}

function decideLeave(state: OfficeState, event: EventOf<'leave'>, policy: Policy): Change[] {
  requireStaff(state, event.staff, 'staff', event.at);
  const out: Change[] = [{ kind: 'left', staff: event.staff, at: event.at }];
  if (policy.parameters.departed_staff.value !== 'public_pool') return out;
  // Customers without an order go to the department's pool for the manager to reassign (attribution-definition.2.3).
  const b = basis(policy.parameters.departed_staff.clause, event.id);
  for (const customer of state.customers.values()) {
    const o = customer.ownership;
    if (o && o.owner === event.staff && !o.closed) {
      out.push({ kind: 'ownership', phone: customer.phone, ownership: { ...o, owner: null, previousOwner: event.staff, basis: b, since: event.at, departedPool: true } });
    }
  }
  return out;
}

function shareMap(value: Record<string, number | string> | undefined, field: string, state: OfficeState, at: number): Map<string, Share> | undefined {
  if (!value) return undefined;
  const out = new Map<string, Share>();
  let total = 0;
  for (const [staff, raw] of Object.entries(value)) {
    requireStaff(state, staff, `${field}.${staff}`, Number.NEGATIVE_INFINITY);
    void at;
    const s = parseShare(raw);
    if (!s) reject('invalid-field', `${field}.${staff}`, `份额无效：${raw}`, `not a share: ${raw}`);
    out.set(staff, s);
    total += s.num / s.den;
  }
  if (Math.abs(total - 1) > 1e-9) reject('invalid-field', field, '各方份额之和须为1', 'shares must sum to 1');
  return out;
}

function decideRuling(state: OfficeState, event: EventOf<'ruling'>, policy: Policy): Change[] {
  requireStaff(state, event.by, 'by', event.at);
  const role = state.staff.get(event.by)!.role;
  if (role !== 'manager') reject('not-manager', 'by', '裁决须由案场经理作出', 'a ruling must be made by a manager');
  const out: Change[] = [];
  if (event.deal !== undefined) {
    if (!state.deals.has(event.deal)) reject('unknown-deal', 'deal', `未找到成交：${event.deal}`, `no such deal: ${event.deal}`);
    const performance = shareMap(event.performance, 'performance', state, event.at);
    const commission = shareMap(event.commission, 'commission', state, event.at);
    if (!performance && !commission) reject('missing-field', 'performance', '裁决须给出业绩或佣金分配', 'a deal ruling needs performance or commission');
    out.push({ kind: 'deal-ruling', dealId: event.deal, performance, commission, basis: basis(event.clause ?? policy.clauses.ruling, event.id) });
    return out;
  }
  if (!event.customer) reject('missing-field', 'customer', '裁决须指明客户或成交', 'a ruling names a customer or a deal');
  const phone = phoneOf(event.customer, 'customer');
  if (event.owner === undefined) reject('missing-field', 'owner', '裁决须指明归属', 'a customer ruling names the owner');
  const owner = event.owner === 'none' ? null : event.owner;
  if (owner) requireStaff(state, owner, 'owner', event.at);
  const customer = customerByPhone(state, phone);
  const view = ownerView(state, customer, event.at);
  // Reassigning a departed consultant's customer is the manager's (attribution-definition.2.3); assigning one nobody holds, before
  // their first visit, the manager's assignment (site-draft-one-month.8, sales-dept1-rotation.2.1.4); any other dispute, the supervisor's ruling.
  const assigns = (customer?.visits ?? 0) === 0 && !holdingOwner(view);
  const clause = event.clause ?? (departedPool(view, policy) ? policy.parameters.departed_staff.clause : assigns ? policy.clauses.managerAssignment : policy.clauses.ruling);
  const day = businessDay(state, event.at, policy);
  const o = ownership(owner, 'ruling', event.at, day, basis(clause, event.id), policy, customer, { previousOwner: view.owner ?? undefined });
  out.push(customerChange(event.customer, phone), { kind: 'ownership', phone, ownership: { ...o, closed: (view.ownership?.closed ?? false) && owner !== null } });
  return out;
}

