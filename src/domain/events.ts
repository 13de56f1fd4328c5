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

export const STAFF_ROLES = ['consultant', 'manager', 'frontdesk', 'channel', 'outreach', 'controller'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PRESENCE_STATES = ['present', 'busy', 'away-personal', 'away-business', 'sick', 'off'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

export const RELATION_KINDS = ['spouse', 'parent', 'child', 'sibling', 'relative', 'friend', 'colleague'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

const staffId = z.string().min(1).max(64);
const text = z.string().max(2000);
const instant = z.number().int();

export const customerRef = z.strictObject({
  /** As registered on this occasion: may be mistyped, or masked on a report. */
  phone: z.string().max(64),
  name: z.string().max(200).optional(),
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

const base = { id: z.string().min(1).max(128), at: instant };

export const staffEvent = z.strictObject({
  ...base,
  type: z.literal('staff'),
  staff: staffId,
  name: z.string().max(200).optional(),
  team: z.string().max(200).optional(),
  role: z.enum(STAFF_ROLES).default('consultant'),
  agency: z.string().max(200).optional(),
});

export const policyEvent = z.strictObject({
  ...base,
  type: z.literal('policy'),
  preset: z.string().min(1).max(64),
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
});

export const outreachEvent = z.strictObject({
  ...base,
  type: z.literal('outreach'),
  customer: customerRef,
  staff: staffId,
  place: text.optional(),
  company: text.optional(),
  sector: text.optional(),
});

export const reportEvent = z.strictObject({
  ...base,
  type: z.literal('report'),
  customer: customerRef,
  staff: staffId,
  expectedAt: instant.optional(),
  /** Why an earlier report lapsed, when re-reporting (channel-sms-report.2d). */
  reason: text.optional(),
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

export const dealEvent = z.strictObject({
  ...base,
  type: z.literal('deal'),
  deal: z.string().min(1).max(128),
  customers: z.array(customerRef).min(1).max(10),
  closedBy: staffId,
  stage: z.enum(['deposit', 'contract']),
  unit: z.string().max(200).optional(),
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
export const campaignEvent = z.strictObject({ ...base, type: z.literal('campaign'), until: instant, name: text.optional() });

const shareValue = z.union([z.number().min(0).max(1), z.string().max(20)]);
export const rulingEvent = z.strictObject({
  ...base,
  type: z.literal('ruling'),
  customer: customerRef.optional(),
  deal: z.string().max(128).optional(),
  /** A staff id, or `none` to return the customer to the public pool. */
  owner: staffId.optional(),
  performance: z.record(staffId, shareValue).optional(),
  commission: z.record(staffId, shareValue).optional(),
  by: staffId,
  reason: z.string().min(1).max(2000),
  /** The rule the manager applied, when it is a clause of the catalogue (e.g. devco-conduct-ch7.7.1.3). */
  clause: z.string().regex(/^[a-z0-9-]+\.[0-9A-Za-z.]+$/).optional(),
});

export const correctionEvent = z.strictObject({
  ...base,
  type: z.literal('correction'),
  of: z.string().min(1).max(128),
  set: z.record(z.string(), z.unknown()),
  reason: z.string().min(1).max(2000),
  by: staffId,
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
]);

export type OfficeEvent = z.infer<typeof officeEvent>;
export type EventType = OfficeEvent['type'];
export type EventOf<T extends EventType> = Extract<OfficeEvent, { type: T }>;
export const EVENT_TYPES = officeEvent.options.map((o) => o.shape.type.value) as EventType[];
