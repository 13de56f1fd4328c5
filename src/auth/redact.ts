// What each role may see of a customer: pure functions over the app layer's
// answers (the server applies them; src/server/auth.ts decides who is who).
import { mapCustomerRefs } from '../app/codec.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { maskPhone, normalizePhone, parseMask } from '../domain/phone.ts';

type Obj = Record<string, unknown>;

/** A phone as someone without the right to it sees it: 138****8000 (a mask stays a mask). */
export function maskAny(text: string): string {
  const phone = normalizePhone(text);
  if (phone) return maskPhone(phone);
  return parseMask(text) ? text : maskPhone(text);
}

/**
 * The customer card for someone who does not own the customer: masked phone,
 * no name, no contact history. `keepTimeline` keeps the entries of one local
 * day (the front desk's today).
 */
export function maskedCard<T extends { phone: string; name: string | null; timeline: { at: string }[] }>(card: T, keepTimeline?: (entry: { at: string }) => boolean): T {
  return { ...card, phone: maskPhone(card.phone), name: null, timeline: keepTimeline ? card.timeline.filter(keepTimeline) : [], masked: true };
}

/** A channel agent's view of the card of a customer they reported: masked phone, no name, no contact history. */
export function channelCard<T extends { phone: string; name: string | null; timeline: unknown[] }>(card: T, reports: string[]): T {
  return { ...card, phone: maskPhone(card.phone), name: null, timeline: [], reports, masked: true };
}

/** A judge answer for a channel agent about a customer they did not report: no owner, receiver or basis events. */
export function channelJudge<T extends Obj>(answer: T): T {
  const hidden = { zh: '归属信息不对渠道公开（非本人报备客户）', en: 'ownership is not disclosed to channel agents for customers they did not report' };
  const basis = answer.basis as Obj | undefined;
  const receiverBasis = answer.receiverBasis as Obj | undefined;
  return {
    ...answer,
    receiver: 'hidden',
    owner: 'hidden',
    helperFor: null,
    claim: 'hidden',
    basis: basis ? { ...basis, events: [] } : basis,
    receiverBasis: receiverBasis ? { ...receiverBasis, events: [] } : receiverBasis,
    reason: hidden,
    party: [],
    hidden: true,
  };
}

/** An office event with every customer masked and unnamed. */
export function maskedEvent(event: OfficeEvent): OfficeEvent {
  return mapCustomerRefs(event, (ref) => ({ phone: maskAny(String(ref.phone)) }));
}

/** Whether a deal involves the staff member (closed it, owned the customer, or has a share). */
export function dealInvolves(deal: { closedBy?: unknown; ownerAtDeal?: unknown; performance?: unknown; commission?: unknown }, staffId: string | null): boolean {
  if (!staffId) return false;
  const inShares = (v: unknown) => typeof v === 'object' && v !== null && staffId in (v as Obj);
  const owner = deal.ownerAtDeal;
  const owners = Array.isArray(owner) ? owner : typeof owner === 'object' && owner !== null ? Object.values(owner as Obj) : [owner];
  return deal.closedBy === staffId || owners.includes(staffId) || inShares(deal.performance) || inShares(deal.commission);
}

export function maskedDeal<T extends { customers: unknown }>(deal: T): T {
  return { ...deal, customers: Array.isArray(deal.customers) ? deal.customers.map((c) => (typeof c === 'string' ? maskAny(c) : c)) : deal.customers };
}
