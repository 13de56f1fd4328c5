// The facts an office records, one schema per event type of the scenario
// contract (shared/spec/scenario-format.md), plus three extensions the system
// needs to be its own source of truth: `staff` (the cast joins), `policy`
// (a policy version takes effect) and `group` on a visit (参观团).
//
// Domain events are already resolved: customers are named by what was
// registered (phone as written, name), staff by id, time as epoch ms. The
// phone is normalised by the engine, because a bad phone is a rejection to
// record, not a parse error.
import { z } from 'zod';
import { isPhoneText, PHONE_TEXT_RULE } from './phone.ts';
import { parseShare } from './shares.ts';

export const STAFF_ROLES = ['consultant', 'manager', 'frontdesk', 'channel', 'outreach', 'controller'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PRESENCE_STATES = ['present', 'busy', 'away-personal', 'away-business', 'sick', 'off'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

export const RELATION_KINDS = ['spouse', 'parent', 'child', 'sibling', 'relative', 'friend', 'colleague'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

/**
 * Characters no field of an event may hold: the C0 controls (NUL, newlines,
 * tabs…), DEL, the C1 controls, and the invisible direction marks, embeddings,
 * overrides and isolates (U+200E/F, U+202A–U+202E, U+2066–U+2069) that make
 * a name read differently from what it is. PostgreSQL refuses a NUL outright.
 */
export const FORBIDDEN_IN_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The same, less the line breaks and tabs a written reason may have. */
export const FORBIDDEN_IN_PROSE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** A single line of text (a name, an id, a place, a unit) of at most `max` characters. */
export function text(max: number, min = 0) {
  return z.string().min(min).max(max).refine((s) => !FORBIDDEN_IN_TEXT.test(s), { message: 'control characters and direction overrides are not allowed' });
}

/** Free text that may run over several lines (a reason): line breaks and tabs allowed, other controls not. */
export function prose(max: number, min = 0) {
  return z.string().min(min).max(max).refine((s) => !FORBIDDEN_IN_PROSE.test(s), { message: 'control characters and direction overrides are not allowed' });
}

/** The first and the last instant an event may carry: 2000-01-01T00:00Z up to, not including, 2100-01-01T00:00Z. */
export const MIN_INSTANT = Date.UTC(2000, 0, 1);
export const MAX_INSTANT = Date.UTC(2100, 0, 1) - 1;
export const INSTANT_RANGE_TEXT = 'from 2000-01-01 up to 2100-01-01 (UTC)';
export const inInstantRange = (ms: number): boolean => Number.isFinite(ms) && ms >= MIN_INSTANT && ms <= MAX_INSTANT;

const staffId = text(64, 1);
const note = text(2000);
const instant = z.number().int().refine(inInstantRange, { message: `a time ${INSTANT_RANGE_TEXT}` });

export const customerRef = z.strictObject({
  /**
   * As registered on this occasion: may be mistyped (a recorded rejection),
   * or masked on a report; but it is written as a phone (isPhoneText).
   */
  phone: z.string().max(64).refine(isPhoneText, { message: PHONE_TEXT_RULE }),
  name: text(200).optional(),
});
export type CustomerRef = z.infer<typeof customerRef>;

/** What the customer tells the front desk (首问). */
export const says = z.strictObject({
  firstVisit: z.boolean().optional(),
  /** A staff id, or `unknown` when they cannot say who. */
  consultant: staffId.optional(),
  consultants: z.array(staffId).max(20).optional(),
  invitedBy: staffId.optional(),
  referredBy: customerRef.optional(),
  flyer: z.boolean().optional(),
  avoid: staffId.optional(),
});
export type Says = z.infer<typeof says>;

/** `lateReason`: why a manager registers the event after the fact (补登); see time-of-record.ts. */
const base = { id: text(128, 1), at: instant, lateReason: prose(500).optional() };

export const staffEvent = z.strictObject({
  ...base,
  type: z.literal('staff'),
  staff: staffId,
  name: text(200).optional(),
  team: text(200).optional(),
  role: z.enum(STAFF_ROLES).default('consultant'),
  agency: text(200).optional(),
});

export const policyEvent = z.strictObject({
  ...base,
  type: z.literal('policy'),
  preset: text(64, 1),
  set: z.record(z.string(), z.unknown()).optional(),
  /** When the version takes effect; defaults to `at`. */
  effectiveAt: instant.optional(),
  by: staffId.optional(),
});

export const dutyEvent = z.strictObject({ ...base, type: z.literal('duty'), order: z.array(staffId).max(200) });

export const statusEvent = z.strictObject({
  ...base,
  type: z.literal('status'),
  staff: staffId,
  state: z.enum(PRESENCE_STATES),
  until: instant.optional(),
});

export const callEvent = z.strictObject({
  ...base,
  type: z.literal('call'),
  customer: customerRef,
  staff: staffId,
  direction: z.enum(['in', 'out']),
  appointment: instant.optional(),
  /** A caller nearby asking the way (sales-dept1-rotation.2.1.5): creates no ownership. */
  directions: z.boolean().optional(),
  /** The consultant gave their own name before checking whether the caller was new (devco-conduct-ch7.7.1.1): no claim. */
  leftOwnName: z.boolean().optional(),
});

export const visitEvent = z.strictObject({
  ...base,
  type: z.literal('visit'),
  customer: customerRef,
  /** Everyone else who came together (the first, `customer`, is the one registered). */
  party: z.array(customerRef).max(50).optional(),
  receivedBy: staffId.optional(),
  says: says.optional(),
  recognizedBy: staffId.optional(),
  purpose: z.enum(['tour', 'deposit', 'sign']).optional(),
  /** A tour group (参观团), placed by the team manager outside the rotation. */
  group: z.boolean().optional(),
});

export const recognizeEvent = z.strictObject({ ...base, type: z.literal('recognize'), staff: staffId, customer: customerRef });

export const followupEvent = z.strictObject({
  ...base,
  type: z.literal('followup'),
  customer: customerRef,
  staff: staffId,
  via: z.enum(['phone', 'wechat', 'sms', 'visit']),
  effective: z.boolean().default(true),
  /** What was said (跟进记录): about the customer, so kept with their personal data (erasable, not in masked views). */
  note: prose(2000).optional(),
});

export const outreachEvent = z.strictObject({
  ...base,
  type: z.literal('outreach'),
  customer: customerRef,
  staff: staffId,
  place: note.optional(),
  company: note.optional(),
  sector: note.optional(),
});

export const reportEvent = z.strictObject({
  ...base,
  type: z.literal('report'),
  customer: customerRef,
  staff: staffId,
  expectedAt: instant.optional(),
  /** Why an earlier report lapsed, when re-reporting (channel-sms-report.2d). */
  reason: prose(2000).optional(),
  /** The sales assistant (front desk) or manager who checked a renewal's note that the customer could not be reached (channel-sms-report.2e). */
  checkedBy: staffId.optional(),
});

export const referralEvent = z.strictObject({
  ...base,
  type: z.literal('referral'),
  referrer: customerRef,
  referred: customerRef,
  consultant: staffId.optional(),
  accompanied: z.boolean().optional(),
});

export const relationEvent = z.strictObject({
  ...base,
  type: z.literal('relation'),
  a: customerRef,
  b: customerRef,
  kind: z.enum(RELATION_KINDS),
});

export const staffRelationEvent = z.strictObject({
  ...base,
  type: z.literal('staff-relation'),
  staff: staffId,
  customer: customerRef,
  kind: z.enum(['relative', 'friend']),
});

/** An amount of money in yuan as exact decimal text, at most two decimals: `1850000`, `1850000.50`. */
export const MONEY_TEXT = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
export const money = z.string().regex(MONEY_TEXT, { message: 'yuan as decimal text, at most two decimals (1850000.50)' });

/** A rate: a fraction from 0 to 1 as a number, a decimal, a fraction or a percentage (`0.003`, `"3/1000"`, `"0.3%"`), kept exact (parseShare). */
export const rate = z.union([z.number().min(0).max(1), text(20)]).refine((v) => {
  const s = parseShare(v);
  return s !== undefined && s.num <= s.den;
}, { message: 'a rate from 0 to 1: 0.003, "3/1000" or "0.3%"' });

/**
 * A sale step on a unit. A deal keeps its id through its stages: `deposit`
 * (认购), `contract` (签约), `cancel` (退订 before a contract, 退房 after): a
 * cancellation frees the unit and reverses the credit; no stage follows it.
 */
export const dealEvent = z.strictObject({
  ...base,
  type: z.literal('deal'),
  deal: text(128, 1),
  customers: z.array(customerRef).min(1).max(10),
  closedBy: staffId,
  stage: z.enum(['deposit', 'contract', 'cancel']),
  unit: text(200).optional(),
  /** The unit's total price (成交总价) in yuan; a later stage's price replaces an earlier one. */
  price: money.optional(),
  /** Why the deal was cancelled (退订原因). */
  reason: prose(2000).optional(),
});

export const complaintEvent = z.strictObject({
  ...base,
  type: z.literal('complaint'),
  customer: customerRef,
  against: staffId,
  fault: z.enum(['service', 'other']),
  reassignTo: staffId.optional(),
});

export const noContactEvent = z.strictObject({ ...base, type: z.literal('no-contact'), customer: customerRef, until: instant.optional() });
export const leaveEvent = z.strictObject({ ...base, type: z.literal('leave'), staff: staffId });
export const campaignEvent = z.strictObject({ ...base, type: z.literal('campaign'), until: instant, name: note.optional() });

const shareValue = z.union([z.number().min(0).max(1), text(20)]);
export const rulingEvent = z.strictObject({
  ...base,
  type: z.literal('ruling'),
  customer: customerRef.optional(),
  deal: text(128).optional(),
  /** A staff id, or `none` to return the customer to the public pool. */
  owner: staffId.optional(),
  performance: z.record(staffId, shareValue).optional(),
  commission: z.record(staffId, shareValue).optional(),
  by: staffId,
  reason: prose(2000, 1),
  /** The rule the manager applied, when it is a clause of the catalogue (e.g. devco-conduct-ch7.7.1.3). */
  clause: z.string().regex(/^[a-z0-9-]+\.[0-9A-Za-z.]+$/).optional(),
});

/**
 * The project's settings, versioned like the policy: commission rates (佣金比例)
 * as fractions of the deal price — per role of the person credited, and per
 * channel agency (a channel agent's share, and the agency whose report brought
 * the buyer). In force from `effectiveAt` (default `at`); replaces the rates
 * before it. A deal is paid at the rates in force on its deposit day.
 */
export const settingsEvent = z.strictObject({
  ...base,
  type: z.literal('settings'),
  commission: z.strictObject({
    roles: z.partialRecord(z.enum(STAFF_ROLES), rate).default({}),
    agencies: z.record(text(200, 1), rate).default({}),
  }),
  effectiveAt: instant.optional(),
  by: staffId.optional(),
});

export const correctionEvent = z.strictObject({
  ...base,
  type: z.literal('correction'),
  of: text(128, 1),
  set: z.record(z.string(), z.unknown()),
  reason: prose(2000, 1),
  by: staffId,
});

/**
 * A consultant's objection at the day-end review (当日总结异议), claiming a
 * customer or a deal's credit and citing the evidence (an invitation call's
 * event id). Where a rulebook lets an objection change the credit
 * (internal-jieding-06.2.1b), it counts only if raised by the end of the
 * local day of the reception it disputes.
 */
export const objectionEvent = z.strictObject({
  ...base,
  type: z.literal('objection'),
  staff: staffId,
  customer: customerRef.optional(),
  deal: text(128, 1).optional(),
  evidence: text(128, 1).optional(),
});

export const officeEvent = z.discriminatedUnion('type', [
  staffEvent,
  policyEvent,
  dutyEvent,
  statusEvent,
  callEvent,
  visitEvent,
  recognizeEvent,
  followupEvent,
  outreachEvent,
  reportEvent,
  referralEvent,
  relationEvent,
  staffRelationEvent,
  dealEvent,
  complaintEvent,
  noContactEvent,
  leaveEvent,
  campaignEvent,
  rulingEvent,
  correctionEvent,
  objectionEvent,
  settingsEvent,
]);

export type OfficeEvent = z.infer<typeof officeEvent>;
export type EventType = OfficeEvent['type'];
export type EventOf<T extends EventType> = Extract<OfficeEvent, { type: T }>;
export const EVENT_TYPES = officeEvent.options.map((o) => o.shape.type.value) as EventType[];
