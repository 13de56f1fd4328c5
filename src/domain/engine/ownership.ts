// Whose customer this is at an instant. Protection is computed from the log,
// never swept by a clock: status is a function of the ownership record and
// the time asked about.
import { endOfPeriod, localDay } from '../time.ts';
import { reportStatus } from './reports.ts';
import type { Basis, Customer, OfficeState, Ownership } from './state.ts';

export type OwnerStatus = 'protected' | 'lapsed' | 'public' | 'closed';

export interface OwnerView {
  owner: string | null;
  status: OwnerStatus | 'none';
  /** The last instant of protection; null when it does not run out. */
  protectedUntil: number | null;
  basis: Basis | null;
  ownership: Ownership | null;
}

const NONE: OwnerView = { owner: null, status: 'none', protectedUntil: null, basis: null, ownership: null };

/** The last local day the ownership is protected, or null for no expiry. */
export function lastProtectedDay(o: Ownership, customer: Customer | undefined): number | null {
  let last = Number.POSITIVE_INFINITY;
  if (o.protectionDays !== null) last = Math.min(last, (o.renews ? o.lastContactDay : o.startDay) + o.protectionDays);
  if (o.gapDays !== null) last = Math.min(last, o.lastContactDay + o.gapDays);
  if (o.firstDueDay !== null && !o.firstCallbackDone) last = Math.min(last, o.firstDueDay);
  if (last === Number.POSITIVE_INFINITY) return null;
  if (customer?.noContactUntil !== undefined) {
    // A customer who asked not to be called cannot be followed up: the gap does not run (consultant-rotation-detail.9b).
    if (customer.noContactUntil === null) return null;
    return Math.max(last, customer.noContactUntilDay ?? last);
  }
  return last;
}

/** The clause of the period that ends the protection (the one that ran out, or will): protection, follow-up gap or first callback. */
export function periodClause(o: Ownership, customer: Customer | undefined): string | undefined {
  const last = lastProtectedDay(o, customer);
  if (last === null || !o.periods) return undefined;
  if (o.firstDueDay !== null && !o.firstCallbackDone && o.firstDueDay === last) return o.periods.firstDue;
  if (o.gapDays !== null && o.lastContactDay + o.gapDays === last) return o.periods.gap;
  return o.periods.protection;
}

export function ownerView(state: OfficeState, customer: Customer | undefined, at: number): OwnerView {
  const o = customer?.ownership;
  if (!o) {
    // Reported as many times in a row as the limit allows, and the last report lapsed too: a public lead (公号, channel-sms-report.2f).
    const lead = customer?.publicLead;
    const last = lead ? state.reports.get(lead.reportId) : undefined;
    if (lead && last && reportStatus(last, at) === 'expired') return { owner: null, status: 'public', protectedUntil: null, basis: lead.basis, ownership: null };
    return NONE;
  }
  if (o.owner === null) return { owner: null, status: 'public', protectedUntil: null, basis: o.basis, ownership: o };
  if (o.closed) return { owner: o.owner, status: 'closed', protectedUntil: null, basis: o.basis, ownership: o };
  const last = lastProtectedDay(o, customer);
  if (last === null) return { owner: o.owner, status: 'protected', protectedUntil: null, basis: o.basis, ownership: o };
  const until = endOfPeriod(last, 0, state.timezone);
  const status = localDay(at, state.timezone) <= last ? 'protected' : 'lapsed';
  return { owner: o.owner, status, protectedUntil: until, basis: o.basis, ownership: o };
}

/** An owner whose claim still holds: protected, or closed (成交: the owner keeps the customer). */
export function holdingOwner(view: OwnerView): string | null {
  return view.status === 'protected' || view.status === 'closed' ? view.owner : null;
}
