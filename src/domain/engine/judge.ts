// The front desk's question: a customer walks in — who receives them, whose
// customer are they, and does it use a rotation turn? `judgeArrival` answers
// without recording anything; visit registration settles the same answer
// with the consultant who actually received.
import type { Says } from '../events.ts';
import { type Policy, caseClause } from '../policy/schema.ts';
import { localDay } from '../time.ts';
import { closedOwnerBasis } from './deals.ts';
import { holdingOwner, ownerView, periodClause, type OwnerView } from './ownership.ts';
import { findValidReport } from './reports.ts';
import { availabilityOf, firstOfTeam, isAtOffice, isOnSite, lastInRotation, nextUp } from './rotation.ts';
import { type Basis, type CoClaim, type Customer, type OfficeState, type OwnershipVia, basis, customerByPhone } from './state.ts';

export interface Arrival {
  /** Normalised phone of the customer registered. */
  phone: string;
  /** Normalised phones of companions (同行). */
  party: readonly string[];
  says: Says;
  at: number;
  purpose?: 'tour' | 'deposit' | 'sign';
  group?: boolean;
  recognizedBy?: string;
  /** Names given at this arrival, by normalised phone (the customer's and companions'): a masked report must agree with them where the policy requires the name. */
  names?: NamesByPhone;
}

/** A name by normalised phone (a `ReadonlyMap<string, string>` is one). */
export interface NamesByPhone {
  get(phone: string): string | undefined;
}

/** Who has a claim on the arriving customer, before anyone receives them. */
export interface Claim {
  kind:
    | 'owner' // a registered owner whose protection holds
    | 'assigned' // the manager assigned the customer before first contact
    | 'report' // a valid channel report
    | 'referral'
    | 'staff-relation'
    | 'designated' // the customer names a consultant
    | 'invited' // invited by a consultant's phone call
    | 'appointment'
    | 'party' // a companion's consultant
    | 'none';
  staff: string | null;
  via: OwnershipVia;
  basis: Basis;
  /** Receiving this customer uses the claimant's rotation turn. */
  claimantTurn: boolean;
  reportId?: string;
  /** Set when the claim comes from a designation never received before (site-draft-one-month.5b). */
  designatedOnly?: boolean;
}

export interface Reception {
  receiver: string | null;
  receiverBasis: Basis;
  /** The owner after this reception. */
  owner: string | null;
  ownerBasis: Basis;
  countsAsTurn: boolean;
  claim: Claim;
  /** Ownership changes hands (a new owner or a new claim), with how it was acquired. */
  newOwnership?: { via: OwnershipVia; designatedOnly?: boolean; previousOwner?: string | null; referralWindow?: boolean; voidedBy?: Basis };
  /** The receiver stands in for an absent or busy owner. */
  helperFor?: string;
  /** The stand-in received a customer who denied having been before, unrecognised. */
  denied?: boolean;
  /** The owner was on site when someone else received their customer. */
  ownerPresent?: boolean;
  /** The customer came only to pay or sign: whoever handles it helps, obligatorily (sales-dept-first-visit.2.2e). */
  obligatory?: boolean;
  /** The turn is the claimant's own (named, assigned, referred), not the rotation's pick. */
  designatedTurn?: boolean;
  /** A second consultant shares the credit (internal-jieding-06.1.3, 2.1b). */
  coClaim?: CoClaim;
  /** The receiver is the office's consultant for a channel customer. */
  reportId?: string;
  view: OwnerView;
}

const FAMILY_KINDS = new Set(['spouse', 'parent', 'child', 'sibling', 'relative']);

const NONE_CLAIM = (b: Basis): Claim => ({ kind: 'none', staff: null, via: 'visit', basis: b, claimantTurn: true });

function customerOf(state: OfficeState, phone: string): Customer | undefined {
  return customerByPhone(state, phone);
}

function isAgent(state: OfficeState, staff: string): boolean {
  const role = state.staff.get(staff)?.role;
  return role === 'channel' || role === 'outreach';
}

/** An agent (not on the roster) at the office at this moment: a `status: present` that covers it. */
function inPerson(state: OfficeState, staff: string, at: number): boolean {
  const presence = state.presence.get(staff);
  return presence !== undefined && presence.state === 'present' && presence.until >= at;
}

function isStaff(state: OfficeState, id: string | undefined): id is string {
  return id !== undefined && state.staff.has(id) && state.staff.get(id)?.leftAt === undefined;
}

function hadContactWith(customer: Customer | undefined, staff: string): boolean {
  if (!customer) return false;
  if (customer.firstContact?.staff === staff || customer.lastVisit?.receiver === staff) return true;
  if (customer.calls?.some((c) => c.staff === staff)) return true;
  return customer.ownership?.owner === staff || customer.ownership?.previousOwner === staff;
}

/** The consultant a referrer's introduction leads to, through the chain (裙带). */
function referrersConsultant(state: OfficeState, referrer: string, at: number): string | null {
  const seen = new Set<string>();
  let phone: string | undefined = referrer;
  while (phone && !seen.has(phone)) {
    seen.add(phone);
    const c = customerOf(state, phone);
    const owner = holdingOwner(ownerView(state, c, at));
    if (owner) return owner;
    phone = c?.referral?.referrer;
  }
  return null;
}

function appointmentFor(customer: Customer | undefined, at: number, timezone: string): { staff: string; eventId: string } | null {
  if (!customer?.calls) return null;
  const today = localDay(at, timezone);
  for (let i = customer.calls.length - 1; i >= 0; i--) {
    const call = customer.calls[i]!;
    if (call.appointment !== undefined && call.at <= at && localDay(call.appointment, timezone) >= today - 1) return { staff: call.staff, eventId: call.eventId };
  }
  return null;
}

/** Whose customer is this, apart from the consultant who happens to receive them. */
export function claimOn(state: OfficeState, arrival: Arrival, policy: Policy): { claim: Claim; view: OwnerView } {
  const p = policy.parameters;
  const c = policy.clauses;
  const customer = customerOf(state, arrival.phone);
  const view = ownerView(state, customer, arrival.at);
  const holder = holdingOwner(view);
  if (holder) {
    const o = view.ownership!;
    if (o.via === 'ruling' && (customer?.visits ?? 0) === 0) {
      return { view, claim: { kind: 'assigned', staff: holder, via: 'ruling', basis: basis(c.managerAssignment, ...o.basis.events), claimantTurn: true } };
    }
    // Inside a limited period, the clause that sets it (e.g. 接访客户15天时效) is what keeps the customer theirs.
    // A customer who only called, and does not name their consultant, is kept by the call rule (reception-ab-split.7,
    // callback-direct-kin.5); one who names the consultant who invited them, by that rule where the rulebook has one
    // (internal-jieding-06.2.2). Inside a period a rulebook may name what holds them (site-draft-one-month.3).
    const callOnly = o.via === 'call' && (customer?.visits ?? 0) === 0 && o.periods?.protection !== undefined;
    const invited = callOnly && arrival.says.invitedBy === holder ? p.call_protection_days.clauses?.invited : undefined;
    const named = arrival.says.invitedBy === holder || arrival.says.consultant === holder;
    const clause = o.closed
      ? closedOwnerBasis(state, o).clause
      : invited
        ? invited
        : callOnly && !named
          ? o.periods!.protection!
          : o.protectionDays !== null && o.periods?.protection ? (o.periods.holds ?? o.periods.protection) : c.returningOwner;
    return { view, claim: { kind: 'owner', staff: holder, via: o.via, basis: basis(clause, ...o.basis.events), claimantTurn: false, designatedOnly: o.designatedOnly } };
  }
  // Follow-up lapsed, but the owner loses the credit only if another closes (consultant-rotation-detail.9a): until then the customer returns to them.
  if (view.status === 'lapsed' && p.lapse_effect.value === 'credit_only_if_other_closes' && isStaff(state, view.owner ?? undefined)) {
    const o = view.ownership!;
    return { view, claim: { kind: 'owner', staff: view.owner!, via: o.via, basis: basis(p.lapse_effect.clause, ...o.basis.events), claimantTurn: false, designatedOnly: o.designatedOnly } };
  }

  // A valid channel report: the reporting agent owns (channel-sms-report.2a, 3a).
  const report = validReport(state, arrival, arrival.phone, policy);
  const escort = arrival.says.invitedBy;
  if (report && !p.channel_report_rules.value.report_beats_escort && escort !== report.agent && isStaff(state, escort) && isAgent(state, escort)) {
    // Where the report does not beat the escort, the agent who brings the customer in person is theirs.
    return { view, claim: { kind: 'report', staff: escort, via: 'report', basis: basis(caseClause(p.channel_report_rules, 'escort')), claimantTurn: false } };
  }
  if (report) {
    return { view, claim: { kind: 'report', staff: report.agent, via: 'report', basis: basis(c.reportConverted, report.id), claimantTurn: false, reportId: report.id } };
  }
  const says = arrival.says;
  // No report on file: the agent who brings the customer in person — there at the arrival (a `status: present`) — is theirs
  // (channel-sms-report.3a); one the customer names, not there, is theirs by the customer's word (2b).
  if (isStaff(state, says.invitedBy) && isAgent(state, says.invitedBy)) {
    const rule = caseClause(p.channel_report_rules, inPerson(state, says.invitedBy, arrival.at) ? 'escort' : 'late_report');
    return { view, claim: { kind: 'report', staff: says.invitedBy, via: 'report', basis: basis(rule), claimantTurn: false } };
  }

  const referral = customer?.referral ?? (says.referredBy ? { referrer: says.referredBy.phone, accompanied: false, at: arrival.at, eventId: undefined as string | undefined } : undefined);
  const referrerInParty = referral !== undefined && arrival.party.includes(referral.referrer);
  const companions = arrival.party;
  if (referral) {
    const r = p.referral_window_days;
    const consultant = referrersConsultant(state, referral.referrer, arrival.at) ?? (isStaff(state, customer?.referral?.consultant) ? customer!.referral!.consultant! : null);
    const accompanied = referral.accompanied || referrerInParty;
    const named = says.consultant !== undefined && says.consultant === consultant;
    const introducedFirst = customer?.referral !== undefined && customer.referral.at <= arrival.at && !customer.firstVisit;
    const ev = customer?.referral?.eventId;
    // A referred customer for whom a consultant is named — by the customer at the desk, or in the referral — belongs to that
    // consultant, over the referrer's consultant (attribution-definition.2.5, where naming decides only for referred customers).
    const d = p.designation;
    if (d.value.new_customer_naming === 'referred_only') {
      const designated = isStaff(state, says.consultant) ? says.consultant : isStaff(state, customer?.referral?.consultant) ? customer!.referral!.consultant! : undefined;
      if (designated && !isAgent(state, designated) && !(view.status === 'lapsed' && view.owner === designated)) {
        const prior = hadContactWith(customer, designated);
        return { view, claim: { kind: 'designated', staff: designated, via: 'designation', basis: basis(d.clause, ev), claimantTurn: d.value.counts_as_turn && !prior, designatedOnly: !prior } };
      }
    }
    // A channel agent's customers bring new ones only through a report of their own (channel-sms-report.3b).
    if (consultant && !isAgent(state, consultant)) {
      switch (r.value.rule) {
        case 'chain':
          if (accompanied || named || introducedFirst) {
            return { view, claim: { kind: 'referral', staff: consultant, via: 'referral', basis: basis(r.clause, ev), claimantTurn: false } };
          }
          break;
        case 'named_or_accompanied':
          if (accompanied) {
            return { view, claim: { kind: 'referral', staff: consultant, via: 'referral', basis: basis(r.clause, ev), claimantTurn: r.value.accompanied_counts_as_turn } };
          }
          if (named || arrival.recognizedBy === consultant) {
            return { view, claim: { kind: 'referral', staff: consultant, via: 'referral', basis: basis(caseClause(r, 'named'), ev), claimantTurn: r.value.named_counts_as_turn } };
          }
          break;
        case 'window':
          // Inside the window only: after it the referred customer is the next receiver's (onsite-offsite-outreach.4.2).
          if ((accompanied || named || introducedFirst) && (r.value.window_days === null || localDay(arrival.at, state.timezone) <= localDay(referral.at, state.timezone) + r.value.window_days)) {
            return { view, claim: { kind: 'referral', staff: consultant, via: 'referral', basis: basis(r.clause, ev), claimantTurn: false } };
          }
          break;
        case 'no_prior_contact':
          if (!customer?.firstContact) {
            return { view, claim: { kind: 'referral', staff: consultant, via: 'referral', basis: basis(r.clause, ev), claimantTurn: false } };
          }
          break;
        case 'deal_day_recognition':
          break;
        default: {
          const _exhaustive: never = r.value.rule;
          return _exhaustive;
        }
      }
    }
    // Alone and naming another consultant, under the named-or-rotation rule.
    if (r.value.rule === 'named_or_accompanied' && isStaff(state, says.consultant) && says.consultant !== consultant) {
      return { view, claim: { kind: 'designated', staff: says.consultant, via: 'referral', basis: basis(caseClause(r, 'named'), ev), claimantTurn: r.value.named_counts_as_turn } };
    }
  }

  // A consultant's own relative or friend (attribution-definition.1.2b, resource-template-3month.2.2).
  const relation = customer?.staffRelations?.find((s) => s.at <= arrival.at && isStaff(state, s.staff));
  if (relation) {
    const rule = p.staff_relative_priority;
    // A past buyer's referral beats a colleague's relationship (sales-dept1-rotation.2.2.6).
    const referrerCustomer = customer?.referral ? customerOf(state, customer.referral.referrer) : undefined;
    const buyersConsultant = referrerCustomer?.ownership?.closed ? referrerCustomer.ownership.owner : null;
    if (rule.value === 'referral_beats_staff_relationship' && buyersConsultant && buyersConsultant !== relation.staff && isStaff(state, buyersConsultant)) {
      return { view, claim: { kind: 'referral', staff: buyersConsultant, via: 'referral', basis: basis(rule.clause, customer!.referral!.eventId, relation.eventId), claimantTurn: false } };
    }
    const beforeFirstContact = !customer?.firstContact || relation.at <= customer.firstContact.at;
    if (rule.value === 'unconditional' || rule.value === 'referral_beats_staff_relationship' || (rule.value === 'if_first_contact_or_prior_record' && beforeFirstContact)) {
      return { view, claim: { kind: 'staff-relation', staff: relation.staff, via: 'staff-relation', basis: basis(rule.clause, relation.eventId), claimantTurn: false } };
    }
  }

  // The customer names a consultant (指定).
  // Naming the consultant whose protection ran out does not bring it back: the lapse decides (onsite-offsite-outreach.3.3).
  const namesLapsedOwner = view.status === 'lapsed' && view.owner === says.consultant;
  if (isStaff(state, says.consultant) && !isAgent(state, says.consultant) && !namesLapsedOwner) {
    const d = p.designation;
    const named = says.consultant;
    const prior = hadContactWith(customer, named);
    const referred = customer?.referral !== undefined || says.referredBy !== undefined;
    if (d.value.new_customer_naming === 'owns' || (d.value.new_customer_naming === 'prior_contact_only' && prior) || (d.value.new_customer_naming === 'referred_only' && referred)) {
      return { view, claim: { kind: 'designated', staff: named, via: 'designation', basis: basis(d.clause, customer?.firstContact?.eventId), claimantTurn: d.value.counts_as_turn && !prior, designatedOnly: !prior } };
    }
    if (d.value.new_customer_naming === 'receives_only' && isOnSite(state, named, arrival.at)) {
      return { view, claim: { kind: 'designated', staff: named, via: 'designation', basis: basis(d.clause), claimantTurn: d.value.counts_as_turn } };
    }
  }

  // Invited by a consultant's call (电话邀约).
  if (isStaff(state, says.invitedBy)) {
    const inviter = says.invitedBy;
    const call = customer?.calls?.findLast((x) => x.staff === inviter);
    return { view, claim: { kind: 'invited', staff: inviter, via: 'invitation', basis: basis(c.invitation, call?.eventId), claimantTurn: false } };
  }

  // An appointment a consultant made on the phone (reception-ab-split.7, sales-dept-first-visit.2.2b).
  const appointment = appointmentFor(customer, arrival.at, state.timezone);
  if (appointment && isStaff(state, appointment.staff)) {
    return { view, claim: { kind: 'appointment', staff: appointment.staff, via: 'call', basis: basis(p.call_protection_days.clause, appointment.eventId), claimantTurn: false } };
  }

  // Companions who are already someone's customers bring the party with them (consultant-rotation-detail.11).
  for (const companion of companions) {
    const cv = ownerView(state, customerOf(state, companion), arrival.at);
    const owner = holdingOwner(cv);
    if (owner) {
      if (isAgent(state, owner) && !p.channel_report_rules.value.party_follows_reporter) continue;
      // An existing customer bringing a new one: the original consultant's; under site-draft-one-month.9 it counts as their turn.
      const turn = p.referral_window_days.value.accompanied_counts_as_turn;
      const clause = isAgent(state, owner) ? caseClause(p.channel_report_rules, 'party') : turn ? p.referral_window_days.clause : c.partyFollows;
      return { view, claim: { kind: 'party', staff: owner, via: isAgent(state, owner) ? 'report' : 'party', basis: basis(clause, ...(cv.basis?.events ?? [])), claimantTurn: turn && !isAgent(state, owner) } };
    }
    // A companion under a valid report brings the party to its agent (channel-sms-report.3b).
    const companionReport = p.channel_report_rules.value.party_follows_reporter ? validReport(state, arrival, companion, policy) : undefined;
    if (companionReport) {
      return { view, claim: { kind: 'party', staff: companionReport.agent, via: 'report', basis: basis(caseClause(p.channel_report_rules, 'party'), companionReport.id), claimantTurn: false } };
    }
  }
  // Asked whether a relative has been before (sales-dept-first-visit.2.1a): the family goes to the relative's consultant.
  if (p.first_question_set.value.includes('relatives_visited') && customer?.relations) {
    for (const rel of customer.relations) {
      if (!FAMILY_KINDS.has(rel.kind) || rel.at > arrival.at) continue;
      const rv = ownerView(state, customerOf(state, rel.other), arrival.at);
      const owner = holdingOwner(rv);
      if (owner && !isAgent(state, owner)) {
        return { view, claim: { kind: 'party', staff: owner, via: 'party', basis: basis(p.first_question_set.clause, rel.eventId, ...(rv.basis?.events ?? [])), claimantTurn: false } };
      }
    }
  }
  const referralRotation = referral && p.referral_window_days.value.rule === 'named_or_accompanied' ? basis(caseClause(p.referral_window_days, 'unnamed')) : null;
  // The lapse cites the clause whose period ran out.
  if (view.status === 'lapsed') return { view, claim: NONE_CLAIM(basis((view.ownership && periodClause(view.ownership, customer)) ?? c.lapse, ...(view.basis?.events ?? []))) };
  if (view.status === 'public') return { view, claim: NONE_CLAIM(basis(view.basis?.clause ?? c.departed, ...(view.basis?.events ?? []))) };
  // Invited by phone, but the customer cannot say by whom, and no one's call is on record: the receiver's (internal-jieding-06.2.1a).
  if (says.invitedBy === 'unknown') return { view, claim: NONE_CLAIM(basis(c.invitationUnclaimed)) };
  return { view, claim: NONE_CLAIM(referralRotation ?? basis(c.firstVisitOwner)) };
}

/** A valid report for this phone; a masked one only if the name agrees, where the policy requires the name. */
function validReport(state: OfficeState, arrival: Arrival, phone: string, policy: Policy) {
  const check = policy.parameters.channel_report_rules.value.require_name_and_time ? { name: arrival.names?.get(phone) ?? customerOf(state, phone)?.name } : undefined;
  return findValidReport(state, phone, arrival.at, check);
}

/** How one companion (同行) of a party comes out of a reception, judged on their own. */
export interface CompanionOutcome {
  phone: string;
  /**
   * `own`: someone's customer already (protection holds), who stays theirs; `report`: under a valid report of
   * their own, the agent's (the report converts); `claim`: a claim of their own (referral, relative, appointment…);
   * `follows`: no claim of their own, the party's owner's (consultant-rotation-detail.10/11); `none`: nobody's.
   */
  outcome: 'own' | 'report' | 'claim' | 'follows' | 'none';
  owner: string | null;
  /** Whether this reception changes the companion's owner. */
  changes: boolean;
  via: OwnershipVia;
  basis: Basis;
  previousOwner: string | null;
  reportId?: string;
  claim: Claim['kind'];
}

/**
 * Each companion of a party judged on their own (not swept along with the
 * customer registered): one who is someone's stays theirs, one under a valid
 * report goes to its agent, one with a claim of their own to the claimant;
 * the others follow the party's owner — or, where a reported party does not
 * follow its reporter (`party_follows_reporter: false`), its receiver.
 */
export function judgeCompanions(state: OfficeState, arrival: Arrival, policy: Policy, reception: Reception): CompanionOutcome[] {
  const out: CompanionOutcome[] = [];
  const everyone = [arrival.phone, ...arrival.party];
  // A masked report converts once: for the first of the party it fits.
  const used = new Set(reception.reportId ? [reception.reportId] : []);
  for (const phone of arrival.party) {
    if (phone === arrival.phone) continue;
    const own: Arrival = { phone, party: everyone.filter((x) => x !== phone), says: {}, at: arrival.at, names: arrival.names };
    const { claim, view } = claimOn(state, own, policy);
    const held = holdingOwner(view);
    if (held) {
      out.push({ phone, outcome: 'own', owner: held, changes: false, via: view.ownership!.via, basis: claim.basis, previousOwner: held, claim: claim.kind });
    } else if (claim.kind === 'report' && claim.reportId && claim.staff && !used.has(claim.reportId)) {
      used.add(claim.reportId);
      out.push({ phone, outcome: 'report', owner: claim.staff, changes: true, via: 'report', basis: claim.basis, previousOwner: view.owner, reportId: claim.reportId, claim: claim.kind });
    } else if (claim.staff && claim.kind !== 'party' && claim.kind !== 'owner' && claim.kind !== 'report') {
      out.push({ phone, outcome: 'claim', owner: claim.staff, changes: true, via: claim.via, basis: claim.basis, previousOwner: view.owner, claim: claim.kind });
    } else {
      const party = reception.owner;
      const owner = party && isAgent(state, party) && !policy.parameters.channel_report_rules.value.party_follows_reporter ? reception.receiver : party;
      if (!owner) {
        out.push({ phone, outcome: 'none', owner: null, changes: false, via: 'party', basis: claim.basis, previousOwner: view.owner, claim: claim.kind });
        continue;
      }
      const agent = isAgent(state, owner);
      const clause = agent ? caseClause(policy.parameters.channel_report_rules, 'party') : policy.clauses.partyFollows;
      out.push({ phone, outcome: 'follows', owner, changes: true, via: agent ? 'report' : 'party', basis: basis(clause), previousOwner: view.owner, claim: claim.kind });
    }
  }
  return out;
}

/** Who stands in for an owner who is not on site. */
function standIn(state: OfficeState, owner: string, at: number, policy: Policy, phone: string): { staff: string | null; basis: Basis } {
  const rule = policy.parameters.absent_owner_receiver;
  const exclude = new Set([owner]);
  const b = basis(rule.clause);
  switch (rule.value) {
    case 'last_in_rotation':
      return { staff: lastInRotation(state, at, exclude), basis: b };
    case 'last_in_rotation_if_notified': {
      // The owner had told colleagues the customer was coming: an appointment they registered (callback-direct-kin.3b).
      const notified = appointmentFor(customerByPhone(state, phone), at, state.timezone)?.staff === owner;
      return { staff: notified ? lastInRotation(state, at, exclude) : nextUp(state, at, policy, exclude).staff, basis: b };
    }
    case 'first_in_queue':
    case 'on_rotation_rep':
    case 'on_duty_person':
    case 'whoever_is_receiving_any_colleague':
      return { staff: nextUp(state, at, policy, exclude).staff, basis: b };
    case 'same_team_colleague_then_other_team': {
      const team = state.staff.get(owner)?.team;
      return { staff: firstOfTeam(state, team, at, exclude) ?? firstOfTeam(state, undefined, at, exclude), basis: b };
    }
    default: {
      const _exhaustive: never = rule.value;
      return _exhaustive;
    }
  }
}

/** When everyone is receiving, a consultant serving a customer who already bought may attend (sales-dept-first-visit.2.2g). */
function overflowReceiver(state: OfficeState, at: number, policy: Policy): { staff: string | null; basis: Basis } {
  for (const staff of state.rotation.order) {
    if (availabilityOf(state, staff, at) !== 'busy') continue;
    const last = state.lastReception.get(staff);
    const served = last ? customerByPhone(state, last.phone) : undefined;
    if (served?.ownership?.closed && !served.complaint) return { staff, basis: basis(policy.clauses.allBusy) };
  }
  return { staff: null, basis: basis(policy.clauses.allBusy) };
}

function newCustomerReceiver(state: OfficeState, at: number, policy: Policy): { staff: string | null; basis: Basis } {
  const up = nextUp(state, at, policy);
  if (up.staff) return { staff: up.staff, basis: up.basis };
  return overflowReceiver(state, at, policy);
}

const VALID_ABSENCES = new Set(['busy', 'sick', 'off', 'not-on-duty', 'away-business']);

/**
 * Settles a reception. `receivedBy` is the consultant who actually received
 * (a registration); without it the engine picks as the front desk should.
 */
export function receive(state: OfficeState, arrival: Arrival, policy: Policy, receivedBy?: string): Reception {
  const p = policy.parameters;
  const c = policy.clauses;
  const { claim, view } = claimOn(state, arrival, policy);
  const says = arrival.says;

  if (arrival.group) {
    // A tour group does not move the rotation; the team manager places it (xx-site-mingyuan.2.4).
    const receiver = receivedBy ?? null;
    const owner = claim.staff ?? receiver;
    return { claim, view, receiver, receiverBasis: basis(c.groupVisit), owner, ownerBasis: claim.staff ? claim.basis : basis(c.groupVisit), countsAsTurn: false, newOwnership: claim.staff || !owner ? undefined : { via: 'visit' } };
  }

  if (claim.kind === 'owner' && claim.staff) {
    const owner = claim.staff;
    const onSite = isOnSite(state, owner, arrival.at);
    const ownerIsAgent = isAgent(state, owner);

    if (arrival.purpose === 'deposit' || arrival.purpose === 'sign') {
      // Coming only to pay or sign: whoever handles it is obliged to help and gains nothing (sales-dept-first-visit.2.2e).
      const receiver = receivedBy ?? (onSite ? owner : standIn(state, owner, arrival.at, policy, arrival.phone).staff);
      return { claim, view, receiver, receiverBasis: basis(c.depositVisitAssist), owner, ownerBasis: claim.basis, countsAsTurn: false, helperFor: receiver !== owner ? owner : undefined, obligatory: receiver !== owner || undefined };
    }

    const recognized = arrival.recognizedBy === owner;
    if (p.returning_unrecognized_outcome.value === 'new_consultant_gets_credit' && !ownerIsAgent) {
      const customer = customerByPhone(state, arrival.phone);
      // 谁邀约接待业绩归谁: the consultant who invited by phone — with the number's source on record — and receives, wins, and the
      // earlier consultant's long protection is void (internal-jieding-06.2.3): their recognising the customer, then or later that day, changes nothing.
      const inviter = says.invitedBy;
      if (inviter && inviter !== owner && isStaff(state, inviter) && (receivedBy === undefined ? isOnSite(state, inviter, arrival.at) : receivedBy === inviter)) {
        // The number's own source: a call the customer made to them, or theirs before anyone registered the customer — not one taken from a colleague's register (2.4).
        const firstAt = customer?.firstContact?.at ?? Number.POSITIVE_INFINITY;
        const source = customer?.calls?.find((x) => x.staff === inviter && (x.direction === 'in' || x.at <= firstAt));
        if (source) {
          const b = basis(p.call_protection_days.clause, source.eventId);
          return { claim, view, receiver: inviter, receiverBasis: b, owner: inviter, ownerBasis: b, countsAsTurn: false, newOwnership: { via: 'invitation', previousOwner: owner, voidedBy: b } };
        }
      }
    }
    if (p.returning_unrecognized_outcome.value === 'new_consultant_gets_credit' && !recognized && !ownerIsAgent) {
      const rule = p.returning_unrecognized_outcome;
      const customer = customerByPhone(state, arrival.phone);
      const callOnly = (customer?.visits ?? 0) === 0 && claim.via === 'call';
      if (callOnly) {
        const named = says.invitedBy === owner || says.consultant === owner;
        if (!named) {
          // Phone-invited, but the customer cannot say who called: the receiver's (internal-jieding-06.2.1a); the caller
          // shares 5:5 only by objecting at that day's review with the invitation as evidence (2.1b; see deals.ts).
          const r = receivedBy ?? newCustomerReceiver(state, arrival.at, policy).staff;
          const callEvent = customer?.calls?.findLast((x) => x.staff === owner)?.eventId;
          const unclaimed = basis(c.invitationUnclaimed, callEvent);
          return {
            claim,
            view,
            receiver: r,
            receiverBasis: basis(c.rotation),
            owner: r,
            ownerBasis: unclaimed,
            countsAsTurn: r !== null,
            newOwnership: r ? { via: 'visit', previousOwner: owner } : undefined,
            coClaim: r && r !== owner ? { staff: owner, basis: basis(c.invitation, callEvent), needsObjection: { from: arrival.at, day: localDay(arrival.at, state.timezone), unclaimed } } : undefined,
          };
        }
      } else if (says.firstVisit === true || (says.avoid !== undefined && says.avoid === owner)) {
        const r = receivedBy && receivedBy !== owner ? receivedBy : newCustomerReceiver(state, arrival.at, policy).staff;
        if (r && r !== owner) {
          if (onSite || says.avoid === owner) {
            // Denied or refused, and not recognised by the original who is there: a new customer of the receiver (1.2, 1.6).
            const refuses = says.avoid === owner && says.firstVisit !== true;
            return { claim, view, receiver: r, receiverBasis: basis(c.rotation), owner: r, ownerBasis: basis(refuses ? caseClause(rule, 'refuses_original') : rule.clause, ...claim.basis.events), countsAsTurn: true, newOwnership: { via: 'visit', previousOwner: owner } };
          }
          // The original is away but knows the customer: a cooperative reception, shared 5:5 (1.3).
          return { claim, view, receiver: r, receiverBasis: basis(c.rotation), owner, ownerBasis: basis(caseClause(rule, 'original_away'), ...claim.basis.events), countsAsTurn: true, coClaim: { staff: r, basis: basis(p.split_ratios.clause, ...claim.basis.events) } };
        }
      }
    }

    if (says.avoid !== undefined && says.avoid === owner) {
      // The customer refuses their consultant: served by the rotation, the claim stands until the manager handles the complaint.
      const r = receivedBy ?? nextUp(state, arrival.at, policy, new Set([owner])).staff;
      return { claim, view, receiver: r, receiverBasis: basis(c.rotation), owner, ownerBasis: claim.basis, countsAsTurn: false, helperFor: r ?? undefined };
    }

    const unsure = says.consultant === 'unknown' || (says.consultants !== undefined && says.consultants.length > 1 && says.consultant === undefined);
    if (unsure && p.returning_unrecognized_outcome.value === 'original_within_file_validity') {
      // Names several or none: the rotation receives; the register decides the owner (sales-dept1-rotation.2.2.3).
      const r = receivedBy ?? nextUp(state, arrival.at, policy, new Set([owner])).staff;
      const rule = p.returning_unrecognized_outcome;
      return { claim, view, receiver: r, receiverBasis: basis(rule.clause), owner, ownerBasis: basis(rule.clause, ...claim.basis.events), countsAsTurn: false, helperFor: r !== owner ? owner : undefined };
    }

    if (ownerIsAgent) {
      // A channel customer returns: the office's consultant of record receives.
      const customer = customerByPhone(state, arrival.phone);
      const consultant = customer?.lastVisit?.receiver;
      const r = receivedBy ?? (consultant && isOnSite(state, consultant, arrival.at) ? consultant : newCustomerReceiver(state, arrival.at, policy).staff);
      return { claim, view, receiver: r, receiverBasis: basis(c.returningOwner), owner, ownerBasis: claim.basis, countsAsTurn: false };
    }

    if (receivedBy === undefined ? onSite : receivedBy === owner) {
      // An existing customer bringing new ones along: received by the original, on their turn where the rulebook says so (site-draft-one-month.9).
      const bringsNew = p.referral_window_days.value.accompanied_counts_as_turn && arrival.party.some((m) => !holdingOwner(ownerView(state, customerOf(state, m), arrival.at)));
      if (bringsNew) return { claim, view, receiver: owner, receiverBasis: basis(p.referral_window_days.clause, ...claim.basis.events), owner, ownerBasis: claim.basis, countsAsTurn: true, designatedTurn: true };
      return { claim, view, receiver: owner, receiverBasis: basis(c.returningOwner, ...claim.basis.events), owner, ownerBasis: claim.basis, countsAsTurn: false };
    }

    // The owner is not there (or someone else received): a stand-in.
    const absence = availabilityOf(state, owner, arrival.at);
    if (p.absent_owner_credit.value === 'helper_becomes_owner' && !VALID_ABSENCES.has(absence) && absence !== 'available') {
      // Away for a reason the rulebook does not excuse: the customer goes to the rotation consultant, on their turn (sales-dept-first-visit.2.2d).
      const r = receivedBy ?? newCustomerReceiver(state, arrival.at, policy).staff;
      const b = basis(p.absent_owner_credit.clause, ...claim.basis.events);
      return { claim, view, receiver: r, receiverBasis: b, owner: r, ownerBasis: b, countsAsTurn: r !== null, newOwnership: r ? { via: 'visit', previousOwner: owner } : undefined };
    }
    const stand = receivedBy !== undefined ? { staff: receivedBy, basis: basis(p.absent_owner_receiver.clause) } : standIn(state, owner, arrival.at, policy, arrival.phone);
    const helperTurn = stand.staff !== null && p.helper_counts_as_rotation_turn.value;
    const denied = says.firstVisit === true && !recognized;
    const ownerPresent = isAtOffice(state, owner, arrival.at);
    const receiverBasis = ownerPresent ? basis(c.returningOwner, ...claim.basis.events) : stand.basis;
    return { claim, view, receiver: stand.staff, receiverBasis, owner, ownerBasis: claim.basis, countsAsTurn: helperTurn && !ownerPresent, helperFor: stand.staff ? owner : undefined, denied, ownerPresent };
  }

  if (claim.staff) {
    // A claim by someone other than a holding owner: assignment, report, referral, relation, designation, invitation, appointment, party.
    const claimant = claim.staff;
    if (claim.kind === 'report' || isAgent(state, claimant)) {
      // The agent owns; the office's rotation receives the customer as a new one.
      const r = receivedBy ? { staff: receivedBy, basis: basis(c.rotation) } : newCustomerReceiver(state, arrival.at, policy);
      return { claim, view, receiver: r.staff, receiverBasis: r.basis, owner: claimant, ownerBasis: claim.basis, countsAsTurn: r.staff !== null, newOwnership: { via: 'report' }, reportId: claim.reportId };
    }
    const onSite = isOnSite(state, claimant, arrival.at);
    const newOwnership = claim.kind === 'assigned' ? undefined : { via: claim.via, designatedOnly: claim.designatedOnly, previousOwner: view.owner, referralWindow: claim.kind === 'referral' };
    if (receivedBy === undefined ? onSite : receivedBy === claimant) {
      return { claim, view, receiver: claimant, receiverBasis: claim.basis, owner: claimant, ownerBasis: claim.basis, countsAsTurn: claim.claimantTurn, newOwnership, designatedTurn: true };
    }
    if (claim.kind === 'designated' && p.designation.value.new_customer_naming === 'receives_only') {
      const r = receivedBy ? { staff: receivedBy, basis: basis(c.rotation) } : newCustomerReceiver(state, arrival.at, policy);
      return { claim, view, receiver: r.staff, receiverBasis: r.basis, owner: r.staff, ownerBasis: basis(c.firstVisitOwner), countsAsTurn: r.staff !== null, newOwnership: r.staff ? { via: 'visit' } : undefined };
    }
    const absence = availabilityOf(state, claimant, arrival.at);
    if ((claim.kind === 'appointment' || claim.kind === 'designated' || claim.kind === 'invited') && p.absent_owner_credit.value === 'helper_becomes_owner' && !VALID_ABSENCES.has(absence) && absence !== 'available') {
      const r = receivedBy ?? newCustomerReceiver(state, arrival.at, policy).staff;
      const b = basis(p.absent_owner_credit.clause, ...claim.basis.events);
      return { claim, view, receiver: r, receiverBasis: b, owner: r, ownerBasis: b, countsAsTurn: r !== null, newOwnership: r ? { via: 'visit' } : undefined };
    }
    const stand = receivedBy !== undefined ? { staff: receivedBy, basis: basis(p.absent_owner_receiver.clause) } : standIn(state, claimant, arrival.at, policy, arrival.phone);
    const helperTurn = stand.staff !== null && p.helper_counts_as_rotation_turn.value;
    return { claim, view, receiver: stand.staff, receiverBasis: stand.basis, owner: claimant, ownerBasis: claim.basis, countsAsTurn: helperTurn, helperFor: stand.staff ? claimant : undefined, newOwnership };
  }

  // A new customer (or one whose protection ran out): the rotation's, and the receiver's.
  const r = receivedBy ? { staff: receivedBy, basis: basis(c.rotation) } : newCustomerReceiver(state, arrival.at, policy);
  return {
    claim,
    view,
    receiver: r.staff,
    receiverBasis: r.basis,
    owner: r.staff,
    ownerBasis: claim.basis,
    countsAsTurn: r.staff !== null,
    newOwnership: r.staff ? { via: 'visit', previousOwner: view.owner } : undefined,
  };
}

/** The front desk's question, answered without recording anything. */
export function judgeArrival(state: OfficeState, arrival: Arrival, policy: Policy): Reception {
  return receive(state, arrival, policy);
}
