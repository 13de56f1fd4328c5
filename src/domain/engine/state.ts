// What the engine knows about one office after replaying its log. Mutable
// maps for speed (a million events a replay); `evolve` is the only writer.
import type { PresenceState, RelationKind, StaffRole } from '../events.ts';
import type { Policy } from '../policy/schema.ts';
import type { PhoneMask } from '../phone.ts';
import type { Share } from '../shares.ts';

/** Why: a clause of shared/rulebooks.yaml and the events the outcome rests on. */
export interface Basis {
  readonly clause: string;
  readonly events: readonly string[];
}

export interface StaffMember {
  id: string;
  name?: string;
  team?: string;
  role: StaffRole;
  agency?: string;
  leftAt?: number;
}

export interface Presence {
  state: PresenceState;
  /** In force until this instant (end of the local day when no `until` was given). */
  until: number;
  eventId: string;
}

export interface MakeUp {
  reason: 'company-business' | 'own-customer' | 'handover' | 'skipped-while-present';
  basis: Basis;
  at: number;
}

export interface RotationState {
  order: string[];
  rosterDay: number;
  rosterEventId: string | null;
  /** Index in `order` of the next consultant up, before presence is applied. */
  pointer: number;
  lastTaker: string | null;
  lastTakerOrder: string[];
  makeUps: Map<string, MakeUp[]>;
  /** Turns a consultant took out of order; they pass their next turn. */
  debts: Map<string, number>;
  turns: Map<string, number>;
  /** Skips without make-up (for the fairness ledger). */
  skips: Map<string, number>;
}

export type OwnershipVia =
  | 'visit'
  | 'call'
  | 'outreach'
  | 'report'
  | 'referral'
  | 'ruling'
  | 'complaint'
  | 'staff-relation'
  | 'designation'
  | 'party'
  | 'deal'
  | 'invitation';

export interface Ownership {
  /** Staff id, or null for the public pool (公客池). */
  owner: string | null;
  via: OwnershipVia;
  since: number;
  startDay: number;
  lastContactDay: number;
  protectionDays: number | null;
  gapDays: number | null;
  firstDueDay: number | null;
  firstCallbackDone: boolean;
  renews: boolean;
  closed: boolean;
  basis: Basis;
  /** The previous owner, when this ownership replaced one (complaints, lapses, rulings). */
  previousOwner?: string | null;
  /** The ownership came from a designation the owner never received (site-draft-one-month.5b). */
  designatedOnly?: boolean;
  /** The clauses that set each period (protection, follow-up gap, first callback): a lapse cites the one that ran out; `holds`, where the rulebook has one, keeps the customer theirs inside the protection. */
  periods?: { protection?: string; holds?: string; gap?: string; firstDue?: string };
  /** In the department's pool because the owner left (departed_staff): only the manager reassigns (attribution-definition.2.3). */
  departedPool?: boolean;
  /** Why the previous owner's protection is void (internal-jieding-06.2.3): a later recognition by them does not hand the customer back, and a deal cites it. */
  voidedBy?: Basis;
  /** The deal that closed the customer (成交), and why the owner held them then: a closed owner cites the clause that gave them that deal's credit, else that reason (`closedOwnerBasis`). */
  closedByDeal?: { id: string; heldBy: Basis };
}

export interface Contact {
  kind: 'visit' | 'call' | 'outreach' | 'followup' | 'report';
  staff: string;
  at: number;
  day: number;
  eventId: string;
}

export interface Helper {
  staff: string;
  /** The customer said it was their first visit and the owner did not recognise them (site-draft-one-month.4b). */
  denied?: boolean;
  /** The owner was on site: this was not standing in for an absent owner but serving their customer. */
  ownerPresent?: boolean;
  /** The customer came only to pay a deposit or sign: the help was obligatory (sales-dept-first-visit.2.2e). */
  obligatory?: boolean;
  owner: string;
  at: number;
  day: number;
  eventId: string;
  basis: Basis;
}

export interface CoClaim {
  staff: string;
  basis: Basis;
  /**
   * The claim counts only if `staff` objects at the day-end review: raised
   * from `from` (the reception) to the end of local day `day`, citing as
   * evidence a call of theirs with the customer before the reception
   * (internal-jieding-06.2.1a/b). Without such an objection the credit is the
   * receiver's, on `unclaimed`.
   */
  needsObjection?: { from: number; day: number; unclaimed: Basis };
}

export interface Objection {
  staff: string;
  at: number;
  /** Local day the objection was raised. */
  day: number;
  eventId: string;
  evidence?: string;
  deal?: string;
}

export interface Customer {
  phone: string;
  name?: string;
  firstContact?: Contact;
  firstVisit?: Contact;
  lastVisit?: Contact & { receiver: string };
  visits: number;
  ownership: Ownership | null;
  referral?: { referrer: string; consultant?: string; accompanied: boolean; at: number; eventId: string };
  staffRelations?: { staff: string; kind: 'relative' | 'friend'; at: number; eventId: string }[];
  relations?: { other: string; kind: RelationKind; at: number; eventId: string }[];
  /** Customers seen together in one party (同行). */
  party?: { other: string; at: number; eventId: string }[];
  recognitions?: { staff: string; at: number; day: number; eventId: string }[];
  helpers?: Helper[];
  coClaims?: CoClaim[];
  /** Objections raised at the day-end review about this customer (or a deal of theirs). */
  objections?: Objection[];
  calls?: { staff: string; direction: 'in' | 'out'; at: number; appointment?: number; eventId: string }[];
  complaint?: { against: string; reassignTo?: string; fault: 'service' | 'other'; at: number; eventId: string; basis: Basis };
  /** The customer asked not to be called until then (null: until further notice). */
  noContactUntil?: number | null;
  noContactUntilDay?: number;
  reportFailures: number;
  /** The report whose lapse makes the customer a public lead (公号, the last of the consecutive reports allowed), with the basis. */
  publicLead?: { reportId: string; basis: Basis };
  deals?: string[];
}

export type ReportStatus = 'valid' | 'converted' | 'expired' | 'duplicate' | 'late' | 'public';

export interface Report {
  id: string;
  agent: string;
  /** The full phone when reported in full, else undefined. */
  phone?: string;
  mask?: PhoneMask;
  name?: string;
  at: number;
  day: number;
  expectedAt?: number;
  validUntil: number;
  convertedBy?: { eventId: string; phone: string; at: number };
  /** Phones known when filed that a masked number could be (more than one: ambiguous). */
  candidates?: string[];
  basis: Basis;
}

export interface Deal {
  id: string;
  customers: string[];
  closedBy: string;
  /** The last stage: `cancelled` once a cancellation (退订/退房) is recorded. */
  stage: 'deposit' | 'contract' | 'cancelled';
  unit?: string;
  /** Total price in yuan as exact decimal text (the latest stage's that gave one). */
  price?: string;
  /** The cancellation: when, from which stage, why, and on what basis the credit is reversed and the unit freed. */
  cancelled?: { at: number; day: number; eventId: string; from: 'deposit' | 'contract'; reason?: string; basis: Basis };
  at: number;
  day: number;
  eventIds: string[];
  /** The owner of the primary buyer when the deal was made. */
  ownerAtDeal: string | null;
  /** Why that owner held the primary buyer when the deal was made: a deal they close themselves cites it. */
  ownerBasisAtDeal?: Basis;
  /** The owner whose protection had lapsed when the deal was made: the closer took the customer (lapse_effect). */
  lapsedOwner?: string;
  ruling?: { performance?: Map<string, Share>; commission?: Map<string, Share>; basis: Basis };
  /** Closed inside a household other consultants held: the closer took it (onsite-offsite-outreach.2.3c), on this basis. */
  closerWins?: Basis;
}

/** Commission rates as exact fractions of the deal price: per role of the person credited, per channel agency. */
export interface CommissionRates {
  roles: Partial<Record<StaffRole, Share>>;
  agencies: Record<string, Share>;
}

/** A version of the project's settings (a `settings` event), in force from `effectiveAt`. */
export interface SettingsVersion {
  effectiveAt: number;
  commission: CommissionRates;
  eventId: string;
}

export interface Alert {
  kind: 'call-to-colleagues-customer' | 'all-busy' | 'ambiguous-report' | 'unit-contention' | 'team-decides' | 'recognition-after-deal';
  at: number;
  customer?: string;
  staff?: string;
  basis: Basis;
  message: string;
}

export interface OfficeState {
  timezone: string;
  policies: Policy[];
  staff: Map<string, StaffMember>;
  presence: Map<string, Presence>;
  lastReception: Map<string, { at: number; day: number; ownCustomer: boolean; phone: string }>;
  rotation: RotationState;
  customers: Map<string, Customer>;
  reports: Map<string, Report>;
  /** Reports (full or masked) by the coarse key of the phones they could be. */
  reportsByKey: Map<number, string[]>;
  /** Masked reports that show too few digits for a key: scanned. */
  wideReports: string[];
  /** Customers by the coarse key of their phone, to resolve masked reports; built when the first masked report arrives. */
  customersByKey: Map<number, string[]>;
  maskIndexed: boolean;
  deals: Map<string, Deal>;
  units: Map<string, string>;
  campaigns: { from: number; until: number; eventId: string }[];
  alerts: Alert[];
  /** Settings versions (commission rates), by effectiveAt. */
  settings: SettingsVersion[];
  applied: number;
}

export function createOfficeState(timezone: string, initialPolicy: Policy): OfficeState {
  return {
    timezone,
    policies: [initialPolicy],
    staff: new Map(),
    presence: new Map(),
    lastReception: new Map(),
    rotation: {
      order: [],
      rosterDay: Number.NEGATIVE_INFINITY,
      rosterEventId: null,
      pointer: 0,
      lastTaker: null,
      lastTakerOrder: [],
      makeUps: new Map(),
      debts: new Map(),
      turns: new Map(),
      skips: new Map(),
    },
    customers: new Map(),
    reports: new Map(),
    reportsByKey: new Map(),
    wideReports: [],
    customersByKey: new Map(),
    maskIndexed: false,
    deals: new Map(),
    units: new Map(),
    campaigns: [],
    alerts: [],
    settings: [],
    applied: 0,
  };
}

/**
 * The customer last found by phone, and the map it was found in: one event asks
 * for its customer several times (decide, judge, evolve), and the first lookup
 * in a map of a few hundred thousand is the one that costs. A customer's entry
 * never changes once made (`evolve` adds customers and changes them in place),
 * so the answer holds for as long as the map is the state's.
 */
let foundIn: Map<string, Customer> | undefined;
let found: Customer | undefined;

/** `state.customers.get(phone)`, remembering the customer found for the next ask. */
export function customerByPhone(state: OfficeState, phone: string): Customer | undefined {
  const customers = state.customers;
  if (foundIn === customers && found!.phone === phone) return found;
  const c = customers.get(phone);
  if (c !== undefined) {
    foundIn = customers;
    found = c;
  }
  return c;
}

/** Adds a new customer to the state (evolve only) and remembers it as the last found. */
export function addCustomer(state: OfficeState, c: Customer): void {
  state.customers.set(c.phone, c);
  foundIn = state.customers;
  found = c;
}

/** The policy version in force at an instant. */
export function policyAt(state: OfficeState, at: number): Policy {
  let current = state.policies[0]!;
  for (const p of state.policies) {
    if (p.effectiveAt <= at) current = p;
    else break;
  }
  return current;
}

export function basis(clause: string, ...events: (string | undefined)[]): Basis {
  // The rest array is this call's own: kept as it is unless an event is missing.
  if (!events.includes(undefined)) return { clause, events: events as string[] };
  const kept: string[] = [];
  for (const e of events) if (e !== undefined) kept.push(e);
  return { clause, events: kept };
}
