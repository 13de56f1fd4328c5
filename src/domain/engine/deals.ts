// How a deal's performance credit (业绩) and commission (佣金) are split.
// Computed from the recorded facts whenever asked, so a fact learned after
// the deal (a recognition that day, a household link, a ruling) counts.
import { type Policy, caseClause, isDefaultClause } from '../policy/schema.ts';
import { type Share, type Split, share, splitOf } from '../shares.ts';
import { holdingOwner, ownerView } from './ownership.ts';
import { type Basis, type CoClaim, type Customer, type Deal, type OfficeState, type Ownership, basis, policyAt } from './state.ts';

export interface DealSplit {
  performance: Split;
  commission: Split;
  performanceBasis: Basis;
  commissionBasis: Basis;
}

function one(staff: string): Split {
  return new Map([[staff, share(1)]]);
}

function ratioSplit(a: string, b: string, ratio: readonly [number, number]): Split {
  return splitOf([
    [a, ratio[0]],
    [b, ratio[1]],
  ]);
}

const FAMILY = new Set(['spouse', 'parent', 'child']);
const KIN_ORDER = ['spouse', 'parent', 'child', 'sibling', 'relative'] as const;

function inCampaign(state: OfficeState, at: number): { eventId: string } | undefined {
  return state.campaigns.find((c) => c.from <= at && at <= c.until);
}

function recognisedBy(customer: Customer | undefined, staff: string, day: number, orEarlier: boolean): { eventId: string } | undefined {
  return customer?.recognitions?.find((r) => r.staff === staff && (orEarlier ? r.day <= day : r.day === day));
}

/**
 * A shared claim as it stands: one that needs an objection at the day-end
 * review (internal-jieding-06.2.1b) counts only with an objection by the
 * claimant raised from the reception to the end of its local day, citing a
 * call of theirs with the customer from before the reception. Returns the
 * basis of the split, or, when the claim lapsed unpressed, `unclaimed`.
 */
function pressedClaim(customer: Customer | undefined, claim: CoClaim): { basis: Basis } | { unclaimed: Basis } {
  const need = claim.needsObjection;
  if (!need) return { basis: claim.basis };
  const objection = customer?.objections?.find(
    (o) => o.staff === claim.staff && o.at >= need.from && o.day <= need.day && o.evidence !== undefined && customer.calls?.some((x) => x.eventId === o.evidence && x.staff === claim.staff && x.at <= need.from),
  );
  if (!objection) return { unclaimed: need.unclaimed };
  return { basis: basis(claim.basis.clause, ...claim.basis.events, objection.eventId) };
}

/** The owner side of a deal, before household rules. */
function ownerSide(state: OfficeState, deal: Deal, policy: Policy): DealSplit {
  const p = policy.parameters;
  const c = policy.clauses;
  const customer = state.customers.get(deal.customers[0]!);
  const owner = deal.ownerAtDeal;
  const closer = deal.closedBy;
  const dealEvent = deal.eventIds[0]!;
  const same = (s: Split, b: Basis): DealSplit => ({ performance: s, commission: s, performanceBasis: b, commissionBasis: b });
  const complaint = customer?.complaint;
  const ratios = p.split_ratios.value;

  // Later referrals of a reassigned customer: serving vs original 7:3 (callback-direct-kin.6.2b).
  const referrer = customer?.referral ? state.customers.get(customer.referral.referrer) : undefined;
  const referrerComplaint = referrer?.complaint;
  if (p.complaint_outcome.value === 'commission_shared_then_referral_split' && referrerComplaint?.reassignTo && referrerComplaint.fault === 'service' && owner === referrerComplaint.reassignTo) {
    const b = basis(p.split_ratios.clause, referrerComplaint.eventId, dealEvent);
    // The referred customer is the serving consultant's, and so is the performance (6.2b: 客户归服务顾问).
    return { performance: one(owner), commission: ratioSplit(owner, referrerComplaint.against, ratios.complaint_referral_commission), performanceBasis: b, commissionBasis: b };
  }

  // A customer reassigned after a complaint.
  if (complaint?.reassignTo && owner !== null && (owner === complaint.reassignTo || closer === complaint.reassignTo)) {
    const b = basis(caseClause(p.complaint_outcome, complaint.fault === 'service' ? 'service_fault' : 'other_fault'), complaint.eventId, dealEvent);
    const original = complaint.against;
    const serving = complaint.reassignTo;
    switch (p.complaint_outcome.value) {
      case 'designee_gets_all':
      case 'agent_reassigned':
        if (owner === serving) return same(one(serving), b);
        break;
      case 'commission_shared_then_referral_split':
        if (complaint.fault === 'service' && owner === serving) {
          return { performance: one(serving), commission: ratioSplit(serving, original, ratios.complaint_commission), performanceBasis: b, commissionBasis: b };
        }
        if (complaint.fault === 'other' && closer === serving && owner === original) {
          return { performance: one(original), commission: ratioSplit(original, serving, ratios.absent_owner_commission), performanceBasis: b, commissionBasis: b };
        }
        break;
      case 'original_keeps_unless_service_fault':
        if (complaint.fault === 'service' && owner === serving) return same(one(serving), b);
        if (complaint.fault === 'other' && closer === serving && owner === original) {
          // Not solely the consultant's fault: they keep the credit; a stand-in who closes shares the commission (site-draft-one-month.10b).
          return { performance: one(original), commission: ratioSplit(original, serving, ratios.absent_owner_commission), performanceBasis: b, commissionBasis: b };
        }
        break;
      default: {
        const _exhaustive: never = p.complaint_outcome.value;
        return _exhaustive;
      }
    }
  }

  if (owner === null || owner === closer) {
    // The consultant who first received the customer handles them to the end and keeps the credit (site-draft-one-month.1), by the
    // rule that made them the owner (a refused original, internal-jieding-06.1.6; an unclaimed invitation, 2.1a);
    // an inviter who received and voided an earlier protection, by the rule that voided it (internal-jieding-06.2.3).
    const voided = owner !== null ? customer?.ownership?.voidedBy : undefined;
    // A referred customer closed inside the referral's window, by the rule that keeps them the referrer's consultant's (onsite-offsite-outreach.4.1).
    const inWindow = owner !== null && customer?.ownership?.owner === owner && customer.ownership.via === 'referral' && p.referral_window_days.value.rule === 'window';
    // At a marketing event, a consultant who closes a new customer or their own keeps the credit (internal-jieding-06.3.1).
    const event = p.daily_cutoff_and_deadlines.value.event_day_identification ? inCampaign(state, deal.at) : undefined;
    const b = voided && customer?.ownership?.owner === owner
      ? basis(voided.clause, ...voided.events, dealEvent)
      : inWindow
        ? basis(p.referral_window_days.clause, ...(customer?.referral?.eventId ? [customer.referral.eventId] : []), dealEvent)
        : event
          ? basis(c.eventDayOwn, event.eventId, dealEvent)
          : basis(owner !== null && deal.ownerBasisAtDeal ? deal.ownerBasisAtDeal.clause : c.firstVisitOwner, dealEvent);
    const coClaim = customer?.coClaims?.find((x) => x.staff !== closer);
    if (coClaim) {
      // A shared claim: cooperation (internal-jieding-06.1.3), or a phone invitation objected to at that day's review (2.1b).
      const pressed = pressedClaim(customer, coClaim);
      if ('unclaimed' in pressed) return same(one(closer), basis(pressed.unclaimed.clause, ...pressed.unclaimed.events, dealEvent));
      return same(ratioSplit(coClaim.staff, closer, ratios.cooperative_performance), basis(pressed.basis.clause, ...pressed.basis.events, dealEvent));
    }
    // Follow-up lapsed and another closed: the credit is the closer's (consultant-rotation-detail.9a).
    if (owner === null && deal.lapsedOwner !== undefined && p.lapse_effect.value === 'credit_only_if_other_closes') return same(one(closer), basis(p.lapse_effect.clause, dealEvent));
    // Referred by a past buyer: credit back to that buyer's consultant if recognised by the deal day (internal-jieding-06.4.4).
    if (p.referral_window_days.value.rule === 'deal_day_recognition' && referrer?.ownership?.closed && referrer.ownership.owner && referrer.ownership.owner !== closer) {
      const original = referrer.ownership.owner;
      const seen = recognisedBy(customer, original, deal.day, true);
      if (seen) return same(one(original), basis(p.referral_window_days.clause, seen.eventId, dealEvent));
    }
    return same(one(closer), b);
  }

  // The closer closed someone else's customer.
  const campaign = inCampaign(state, deal.at);
  if (campaign && p.daily_cutoff_and_deadlines.value.event_day_identification) {
    const seen = recognisedBy(customer, owner, deal.day, false);
    if (seen) return same(ratioSplit(owner, closer, ratios.cooperative_performance), basis(c.eventDayShared, campaign.eventId, seen.eventId, dealEvent));
    return same(one(closer), basis(c.eventDayCloser, campaign.eventId, dealEvent));
  }

  const coClaim = customer?.coClaims?.find((x) => x.staff === closer);
  const pressed = coClaim ? pressedClaim(customer, coClaim) : undefined;
  if (pressed && 'basis' in pressed) return same(ratioSplit(owner, closer, ratios.cooperative_performance), basis(pressed.basis.clause, ...pressed.basis.events, dealEvent));

  // A past buyer's referral who is the closer's relative or friend: the buyer's consultant's (sales-dept1-rotation.2.2.6).
  const relation = customer?.staffRelations?.find((s) => s.staff === closer);
  if (relation && p.staff_relative_priority.value === 'referral_beats_staff_relationship' && customer?.ownership?.via === 'referral' && referrer?.ownership?.closed && referrer.ownership.owner === owner) {
    return same(one(owner), basis(p.staff_relative_priority.clause, relation.eventId, dealEvent));
  }
  const helped = customer?.helpers?.findLast((h) => h.staff === closer && h.owner === owner);
  // Not recognised, and closed before anyone found out: the receiver's performance, commission shared (site-draft-one-month.4b).
  if (helped?.denied && p.returning_unrecognized_outcome.value === 'original_within_1_month_else_second_receiver' && !customer?.recognitions?.some((r) => r.staff === owner && r.at <= deal.at)) {
    const rule = p.returning_unrecognized_outcome;
    const b = basis(rule.clause, helped.eventId, dealEvent);
    return { performance: one(closer), commission: ratioSplit(owner, closer, ratios.absent_owner_commission), performanceBasis: b, commissionBasis: b };
  }
  if (helped && !helped.ownerPresent) {
    const credit = p.absent_owner_credit;
    // The clause of the case where the rulebook has one: a past buyer's referral (reception-ab-split.5b), a caller's named inviter (internal-jieding-06.2.2).
    const buyerReferral = customer?.ownership?.via === 'referral' && referrer?.ownership?.closed === true;
    const b = basis(buyerReferral ? caseClause(credit, 'buyer_referral') : customer?.ownership?.via === 'call' ? caseClause(credit, 'invited') : credit.clause, helped.eventId, dealEvent);
    const sameDay = helped.day === deal.day || !p.daily_cutoff_and_deadlines.value.split_only_if_deal_same_day;
    switch (credit.value) {
      case 'owner_100_helper_0':
      case 'helper_becomes_owner':
      case 'team_decides':
        // Coming only to pay or sign: the helper was obliged to and gains nothing (sales-dept-first-visit.2.2e).
        return same(one(owner), helped.obligatory ? basis(c.depositVisitAssist, helped.eventId, dealEvent) : b);
      case 'performance_owner_commission_5_5':
        if (sameDay) return { performance: one(owner), commission: ratioSplit(owner, closer, ratios.absent_owner_commission), performanceBasis: b, commissionBasis: b };
        // Closing the owner's customer on another day is keeping it from them: everything to the owner (reception-ab-split.4e).
        return same(one(owner), basis(c.closingOthersCustomer, helped.eventId, dealEvent));
      case 'performance_helper_commission_5_5': {
        const designated = customer?.ownership?.designatedOnly;
        if (designated) return { performance: one(closer), commission: ratioSplit(owner, closer, ratios.absent_owner_commission), performanceBasis: b, commissionBasis: b };
        // Standing in for an old customer's consultant: everything stays theirs (site-draft-one-month.1, 3).
        return same(one(owner), basis(caseClause(credit, 'owner_keeps'), helped.eventId, dealEvent));
      }
      case 'performance_5_5':
        return same(ratioSplit(owner, closer, ratios.cooperative_performance), b);
      default: {
        const _exhaustive: never = credit.value;
        return _exhaustive;
      }
    }
  }
  // Closing a colleague's customer gives the credit back to the consultant responsible (consultant-rotation-detail.8).
  return same(one(owner), basis(c.closingOthersCustomer, dealEvent));
}

/**
 * Under closer-wins (onsite-offsite-outreach.2.3c, where the consultants do not
 * accept 2.3a/b): a deal in a household — the buyers, their spouses, parents
 * and children — that other consultants hold, closed by one of the household's
 * consultants (a buyer nobody holds becomes the closer's), gives the closer
 * the household, whatever order the deal lists the buyers in. Returns the
 * members held by others and the basis; undefined where the rule does not apply.
 */
export function closerWinsHousehold(state: OfficeState, phones: readonly string[], closer: string, at: number, policy: Policy, dealEvent: string): { basis: Basis; members: { phone: string; owner: string }[] } | undefined {
  const rule = policy.parameters.family_cross_rule;
  if (rule.value !== 'closer_wins') return undefined;
  const members = new Map<string, string | null>();
  const events: string[] = [];
  for (const phone of phones) members.set(phone, holdingOwner(ownerView(state, state.customers.get(phone), at)) ?? closer);
  for (const phone of phones) {
    for (const rel of state.customers.get(phone)?.relations ?? []) {
      if (!FAMILY.has(rel.kind) || rel.at > at || members.has(rel.other)) continue;
      members.set(rel.other, holdingOwner(ownerView(state, state.customers.get(rel.other), at)));
      events.push(rel.eventId);
    }
  }
  const owners = new Set([...members.values()].filter((o): o is string => o !== null));
  if (!owners.has(closer) || owners.size < 2) return undefined;
  const held = [...members].filter((m): m is [string, string] => m[1] !== null && m[1] !== closer).map(([phone, owner]) => ({ phone, owner }));
  return { basis: basis(rule.clause, ...events, dealEvent), members: held };
}

/** Household members with a consultant of their own (交叉客户): who shares. */
function householdSplit(state: OfficeState, deal: Deal, side: DealSplit, policy: Policy): DealSplit {
  const rule = policy.parameters.family_cross_rule;
  const ratios = policy.parameters.split_ratios.value;
  const buyers = new Set(deal.customers);
  const sideOwner = deal.ownerAtDeal ?? deal.closedBy;
  const primary = state.customers.get(deal.customers[0]!);
  const related: { owner: string; kind: string; customer: Customer; eventId: string }[] = [];
  for (const phone of deal.customers) {
    for (const rel of state.customers.get(phone)?.relations ?? []) {
      if (buyers.has(rel.other)) continue;
      const other = state.customers.get(rel.other);
      const o = holdingOwner(ownerView(state, other, deal.at));
      if (other && o && o !== sideOwner && other.firstContact && other.firstContact.at <= deal.at) related.push({ owner: o, kind: rel.kind, customer: other, eventId: rel.eventId });
    }
  }
  // Co-buyers registered with someone else are the household too.
  for (const phone of deal.customers.slice(1)) {
    const other = state.customers.get(phone);
    const o = other?.ownership?.owner;
    if (other && o && o !== sideOwner) related.push({ owner: o, kind: 'spouse', customer: other, eventId: deal.eventIds[0]! });
  }
  if (related.length === 0) return side;
  const dealEvent = deal.eventIds[0]!;
  switch (rule.value) {
    case 'performance_5_5': {
      const r = related.find((x) => FAMILY.has(x.kind));
      if (!r) {
        // Sibling households: the owner of the buyer's name (internal-jieding-06.1.5b), where the rulebook says so.
        const sib = related.find((x) => x.kind === 'sibling');
        const whole = side.performance.size === 1 && side.performance.has(sideOwner);
        return sib && whole && rule.clauses?.sibling ? { ...side, performanceBasis: basis(rule.clauses.sibling, sib.eventId, dealEvent) } : side;
      }
      const s = ratioSplit(sideOwner, r.owner, ratios.family_cross);
      const b = basis(rule.clause, r.eventId, dealEvent);
      return { performance: s, commission: s, performanceBasis: b, commissionBasis: b };
    }
    case 'performance_first_registrant_commission_5_5': {
      const r = related.find((x) => x.kind !== 'friend' && x.kind !== 'colleague');
      if (!r) return side;
      const mine = primary?.firstContact?.at ?? deal.at;
      const theirs = r.customer.firstContact?.at ?? deal.at;
      const first = theirs < mine ? r.owner : sideOwner;
      const b = basis(rule.clause, r.eventId, dealEvent);
      return { performance: one(first), commission: ratioSplit(first, first === sideOwner ? r.owner : sideOwner, ratios.family_cross), performanceBasis: b, commissionBasis: b };
    }
    case 'kinship_priority': {
      // The closest relative received first wins: spouse, parents, children, siblings, others (callback-direct-kin.7.2).
      const mine = primary?.firstContact?.at ?? deal.at;
      for (const kind of KIN_ORDER) {
        const r = related.find((x) => x.kind === kind && (x.customer.firstContact?.at ?? deal.at) < mine);
        if (r) {
          const b = basis(rule.clause, r.eventId, dealEvent);
          return { performance: one(r.owner), commission: one(r.owner), performanceBasis: b, commissionBasis: b };
        }
      }
      return side;
    }
    case 'owner_of_buyer': {
      // No household split: the buyer's own registration decides (sales-dept-first-visit.1.3a); a relative's consultant shares nothing.
      const b = basis(rule.clause, related[0]!.eventId, dealEvent);
      const whole = (s: Split) => s.size === 1 && s.has(sideOwner);
      return { ...side, performanceBasis: whole(side.performance) ? b : side.performanceBasis, commissionBasis: whole(side.commission) ? b : side.commissionBasis };
    }
    case 'first_receiver_of_party':
    case 'whole_party_to_reporting_agent':
    case 'team_decides':
    case 'closer_wins':
      return side;
    default: {
      const _exhaustive: never = rule.value;
      return _exhaustive;
    }
  }
}

export function dealSplit(state: OfficeState, deal: Deal): DealSplit {
  const policy = policyAt(state, deal.at);
  // The closer took a contested household (onsite-offsite-outreach.2.3c): performance and commission theirs.
  const computed = deal.closerWins
    ? { performance: one(deal.closedBy), commission: one(deal.closedBy), performanceBasis: deal.closerWins, commissionBasis: deal.closerWins }
    : householdSplit(state, deal, ownerSide(state, deal, policy), policy);
  const ruling = deal.ruling;
  if (!ruling) return computed;
  return {
    performance: ruling.performance ?? computed.performance,
    commission: ruling.commission ?? computed.commission,
    performanceBasis: ruling.performance ? ruling.basis : computed.performanceBasis,
    commissionBasis: ruling.commission ? ruling.basis : computed.commissionBasis,
  };
}

/**
 * Why a closed owner (成交) holds the customer. Where the rulebook says a buyer
 * stays with the consultant (shenyang-multi-team.2.2b), that clause; else the
 * clause that gave the owner the closing deal's performance credit (the deal's
 * performance basis, read as it stands now); an owner with no share of it (a
 * co-buyer's consultant, an event-day closer's colleague) holds by the rule
 * that made them the owner (`heldBy`), or, with none, the rulebook's silence.
 */
export function ownerBasisOfDeal(state: OfficeState, owner: string, deal: Deal, heldBy: Basis | undefined): Basis {
  const policy = policyAt(state, deal.at);
  const stated = policy.clauses.closedPermanent;
  if (!isDefaultClause(stated)) return basis(stated, deal.eventIds[0]!);
  const split = dealSplit(state, deal);
  const mine = split.performance.get(owner);
  if (mine && mine.num > 0) return split.performanceBasis;
  return heldBy ?? basis(stated, deal.eventIds[0]!);
}

/** The basis of an ownership as it stands: a closed one's from the deal that closed it (`ownerBasisOfDeal`), any other's as recorded. */
export function closedOwnerBasis(state: OfficeState, o: Ownership): Basis {
  const closing = o.closed && o.owner !== null ? o.closedByDeal : undefined;
  const deal = closing ? state.deals.get(closing.id) : undefined;
  return deal && !deal.cancelled ? ownerBasisOfDeal(state, o.owner!, deal, closing!.heldBy) : o.basis;
}

export type { Share };
