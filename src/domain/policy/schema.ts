// The policy: one typed value for every parameter of the rulebook catalogue
// (shared/rulebooks.yaml `parameters:`), each with the clause it comes from.
// Keys are the catalogue's parameter ids, so a scenario's `policy.set` and a
// manager's edit speak the same names as the catalogue.
import { z } from 'zod';

const days = z.number().int().min(0).max(3650);
const ratio = z.tuple([z.number().int().min(0).max(10), z.number().int().min(0).max(10)]);

export const callRule = z.strictObject({
  /** Does a phone contact make the consultant the owner? */
  ownership: z.enum(['always', 'appointment', 'never']),
  /** How long a call alone protects; null = no expiry stated. */
  days: days.nullable(),
  /** A caller asking the way and coming straight over is new on arrival. */
  directions_call_owns: z.boolean(),
});

export const followUpRule = z.strictObject({
  /** Longest gap without a follow-up before a visitor's owner lapses; null = none. */
  visit: days.nullable(),
  /** The same for customers who only called. */
  call: days.nullable(),
  /** A first callback due N days after the first visit (callback-direct-kin.4). */
  first_callback_due_days: days.nullable(),
  /** Whether an effective contact restarts the protection period. */
  renews_protection: z.boolean(),
});

export const referralRule = z.strictObject({
  rule: z.enum([
    'chain', // introduced by A's customer → A, transitively, if asked for A or introduced first
    'named_or_accompanied', // accompanied → referrer's rep; alone: named rep, else rotation
    'window', // referrer's rep for window_days, then whoever receives
    'no_prior_contact', // referrer's rep unless the newcomer already had contact (first registrant)
    'deal_day_recognition', // rotation; credit back to the buyer's rep if recognised by the deal day
  ]),
  window_days: days.nullable(),
  named_counts_as_turn: z.boolean(),
  accompanied_counts_as_turn: z.boolean(),
});

export const dailyRules = z.strictObject({
  /** Registrations after this local time count towards the next day ("18:00"); null = midnight. */
  daily_cutoff: z.string().regex(/^\d{2}:\d{2}$/).nullable(),
  /** The rotation carries on next day from where it stopped (vs restarting at the head). */
  rotation_carry_over: z.boolean(),
  /** Absent-owner commission sharing only for a deal on the day of the helped visit. */
  split_only_if_deal_same_day: z.boolean(),
  /** At a marketing event, another's customer is shared only if identified that day (internal-jieding-06.3.2). */
  event_day_identification: z.boolean(),
});

export const channelRules = z.strictObject({
  /** A report is valid for days 0..N after it is filed. */
  validity_days: days,
  /** After this many consecutive lapsed reports the customer is a public lead (公号). */
  max_consecutive_reports: z.number().int().min(1).max(100),
  /** Mask shape a report must use, or null to accept a full number or any mask. */
  masked_phone: z.strictObject({ first: z.number().int().min(1).max(5), last: z.number().int().min(1).max(8) }).nullable(),
  /** The report record beats an agent who merely escorts the customer. */
  report_beats_escort: z.boolean(),
  /** The customer's name (or surname) and an expected arrival time are required. */
  require_name_and_time: z.boolean(),
  /** The whole party of a reported customer belongs to the reporting agent. */
  party_follows_reporter: z.boolean(),
  /** An outreach registration needs the place and company (channel-sms-report.1). */
  outreach_form_required: z.boolean(),
});

export const skippedTurnRule = z.strictObject({
  /** Make-up turns owed for a turn missed on personal business. */
  personal: z.number().int().min(0).max(5),
  /** Make-up turns owed for a turn missed on company business (因公). */
  business: z.number().int().min(0).max(5),
});

export const splitRatios = z.strictObject({
  /** Absent owner vs helper, commission (reception-ab-split.4d, site-draft-one-month.5b). */
  absent_owner_commission: ratio,
  /** Original vs new consultant when credit is shared (internal-jieding-06: cooperation, event day, phone invitation). */
  cooperative_performance: ratio,
  /** Serving vs original consultant after a complaint reassignment. */
  complaint_commission: ratio,
  /** Serving vs original on later referrals of a reassigned customer (callback-direct-kin.6.2b). */
  complaint_referral_commission: ratio,
  /** The two consultants of one household. */
  family_cross: ratio,
});

export const designationRule = z.strictObject({
  /** A new customer who names a consultant belongs to them; `prior_contact_only` needs an earlier record; `referred_only` only a referred customer; `none`: naming decides nothing. */
  new_customer_naming: z.enum(['owns', 'prior_contact_only', 'receives_only', 'referred_only', 'none']),
  /** Receiving a customer who named you uses your rotation turn. */
  counts_as_turn: z.boolean(),
});

/** A catalogue clause id (`rulebook.clause`), or `rulebook:default` where the rulebook is silent and the standard choice applies. */
const clauseId = z.string().regex(/^[a-z0-9-]+(\.[0-9A-Za-z.]+|:default)$/);

/** The marker a preset cites where its rulebook is silent: the `standard` preset's choice applies (本制度未规定，按系统推荐). */
export const DEFAULT_SUFFIX = ':default';
export function defaultClause(rulebook: string): string {
  return `${rulebook}${DEFAULT_SUFFIX}`;
}
export function isDefaultClause(clause: string): boolean {
  return clause.endsWith(DEFAULT_SUFFIX);
}
/** What a `:default` marker says, in words: the rulebook is silent and the standard recommendation applies. */
export function defaultClauseText(clause: string): { zh: string; en: string } | null {
  if (!isDefaultClause(clause)) return null;
  return { zh: '本制度未规定，按系统推荐（标准制度）处理', en: 'not stated in this rulebook: the standard policy\'s recommendation applies' };
}
/** The rulebook a clause id (or a `:default` marker) belongs to. */
export function rulebookOf(clause: string): string {
  return isDefaultClause(clause) ? clause.slice(0, -DEFAULT_SUFFIX.length) : clause.slice(0, clause.indexOf('.'));
}

/**
 * A parameter: its typed value and the clause it comes from. Where a rulebook
 * states the cases of one parameter in clauses of their own (channel-sms-report:
 * a late report 2b, an escort 3a, a party 3b), the preset names them in
 * `clauses` and the engine cites each case's own (`caseClause`); a case a
 * preset does not name cites `clause` (a rulebook with no such split, or a
 * parameter borrowed from the standard policy: `<rulebook>:default`).
 */
function param<T extends z.ZodType, K extends string = never>(value: T, cases: readonly K[] = []) {
  const shape = Object.fromEntries(cases.map((k) => [k, clauseId.optional()])) as { [P in K]: z.ZodOptional<typeof clauseId> };
  return z.strictObject({ value, clause: clauseId, clauses: z.strictObject(shape).optional(), note: z.string().optional() });
}

/** The clause a parameter's case cites: the case's own where the preset names one, else the parameter's. */
export function caseClause<C extends string>(entry: { clause: string; clauses?: Partial<Record<C, string | undefined>> }, name: C): string {
  return entry.clauses?.[name] ?? entry.clause;
}

export const policyParameters = z.strictObject({
  // `holds`: a returning customer inside the period is the first receiver's (site-draft-one-month.3), where `clause` sets the period (4c).
  visit_protection_days: param(days.nullable(), ['holds']),
  // `invited`: the customer names the consultant who invited them by phone (internal-jieding-06.2.2).
  call_protection_days: param(callRule, ['invited']),
  // `call`: the gap for customers who only called (callback-direct-kin.5, where the first callback after a visit is 4).
  follow_up_max_gap_days: param(followUpRule, ['call']),
  lapse_effect: param(z.enum(['new_customer', 'developing_rep', 'credit_only_if_other_closes'])),
  // `named`: a referred customer alone who names a consultant (consultant-rotation-detail.5a); `unnamed`: alone, naming nobody (5b); `clause`: accompanied (5c).
  referral_window_days: param(referralRule, ['named', 'unnamed']),
  absent_owner_receiver: param(
    z.enum(['last_in_rotation', 'last_in_rotation_if_notified', 'first_in_queue', 'on_rotation_rep', 'same_team_colleague_then_other_team', 'on_duty_person', 'whoever_is_receiving_any_colleague']),
  ),
  helper_counts_as_rotation_turn: param(z.boolean()),
  // `owner_keeps`: a stand-in for an owner who was not merely named keeps nothing (site-draft-one-month.1, where 5b splits a named one's);
  // `buyer_referral`: the stand-in for a past buyer's referral (reception-ab-split.5b); `invited`: for the consultant a caller names as inviter (internal-jieding-06.2.2).
  absent_owner_credit: param(
    z.enum(['owner_100_helper_0', 'performance_owner_commission_5_5', 'performance_helper_commission_5_5', 'performance_5_5', 'team_decides', 'helper_becomes_owner']),
    ['owner_keeps', 'buyer_referral', 'invited'],
  ),
  split_ratios: param(splitRatios),
  returning_unrecognized_outcome: param(
    // `look_up_in_crm`: the register (by phone) decides — what `treat_as_new` (a customer the register does not know is new) comes to in a system of record.
    // `new_consultant_gets_credit` covers internal-jieding-06.1.2 and its 5:5 when the original is away (1.3, split_ratios.cooperative_performance).
    // `original_within_file_validity`: names several or none → the rotation receives, the owner is kept while the file (visit_protection_days) is valid.
    z.enum(['look_up_in_crm', 'new_consultant_gets_credit', 'original_within_1_month_else_second_receiver', 'original_within_file_validity']),
    // `original_away`: denies a visit while the original, who knows them, is away (internal-jieding-06.1.3); `refuses_original`: says they came but will not have the original, who does not recognise them (1.6).
    ['original_away', 'refuses_original'],
  ),
  // `sibling`: sibling households, where the buyer's own consultant keeps the credit (internal-jieding-06.1.5b).
  family_cross_rule: param(
    z.enum(['performance_5_5', 'performance_first_registrant_commission_5_5', 'first_receiver_of_party', 'kinship_priority', 'owner_of_buyer', 'whole_party_to_reporting_agent', 'team_decides', 'closer_wins']),
    ['sibling'],
  ),
  call_vs_visit_precedence: param(z.enum(['call_first_if_same_day', 'earliest_contact_either_channel', 'visit_rotation_unless_appointment'])),
  daily_cutoff_and_deadlines: param(dailyRules),
  // `late_report`: no report before the first visit, the customer names the agent (channel-sms-report.2b); `escort`: the agent brings the customer in person (3a); `party`: the rest of a reported customer's party (3b).
  channel_report_rules: param(channelRules, ['late_report', 'escort', 'party']),
  // `make_up`: the turn passed while serving one's own customer is owed back (filled in right after the next, sales-dept1-rotation.1.3);
  // `no_make_up`: it is not (the place is kept only if no new customer came meanwhile — the queue does not move without one, consultant-rotation-detail.7).
  own_customer_at_own_turn: param(z.enum(['make_up', 'no_make_up'])),
  skipped_turn_make_up: param(skippedTurnRule),
  // `commission_shared_then_referral_split`: the designee owns, commission split_ratios.complaint_commission; later referrals split_ratios.complaint_referral_commission (callback-direct-kin.6.2).
  // `service_fault` / `other_fault`: where the rulebook treats a service fault and other complaints in clauses of their own (site-draft-one-month.10a, 10b).
  complaint_outcome: param(z.enum(['designee_gets_all', 'commission_shared_then_referral_split', 'original_keeps_unless_service_fault', 'agent_reassigned']), ['service_fault', 'other_fault']),
  staff_relative_priority: param(z.enum(['if_first_contact_or_prior_record', 'unconditional', 'referral_beats_staff_relationship', 'none'])),
  registration_required_fields: param(z.array(z.enum(['name', 'phone'])).min(1)),
  penalties: param(z.array(z.string())),
  first_question_set: param(
    z.array(z.enum(['first_visit', 'prior_receiver', 'relatives_visited', 'phone_invited', 'prior_contact', 'knows_a_rep', 'received_flyer', 'referred_by'])),
  ),
  departed_staff: param(z.enum(['public_pool', 'not_stated'])),
  /** Not a catalogue parameter: how a new customer who names a consultant is handled. */
  designation: param(designationRule),
});

export type PolicyParameters = z.infer<typeof policyParameters>;
export type ParameterId = keyof PolicyParameters;
export type ParameterValue<K extends ParameterId> = PolicyParameters[K]['value'];
export const PARAMETER_IDS = Object.keys(policyParameters.shape) as ParameterId[];

/**
 * Rules every office applies, each cited by the clause of the preset's own
 * rulebook that states it (or, where the rulebook is silent, the clause the
 * standard policy takes it from).
 */
export const DECISIONS = [
  'rotation', // a new customer goes to the consultant up in the rotation
  'firstVisitOwner', // the first recorded reception makes the owner
  'registration', // a registration needs its required fields
  'callOwner', // a phone contact registers the customer
  'outreachOwner', // an outreach registration registers the customer
  'outreachSameTime', // two outreach registrations at the same moment: the consultant of the merchant's business type
  'returningOwner', // a registered customer goes back to their owner
  'ownCustomerNotATurn', // receiving one's own customer uses no turn
  'partyFollows', // companions with no claim of their own, and a newcomer arriving with someone's customer, follow that party's consultant
  'recognizedHandover', // the original consultant recognises the customer: handed over, not a turn
  'depositVisitAssist', // a visit only to pay or sign is obligatory help
  'lapse', // protection ran out: the next contact decides
  'closedPermanent', // a customer who bought stays with the consultant, where the rulebook says so (else the deal's performance basis)
  'closingOthersCustomer', // closing a colleague's customer returns the credit
  'eventDayShared', // at an event, another's customer identified that day: shared
  'eventDayCloser', // at an event, the original did not react: the closer
  'eventDayOwn', // at an event, a consultant who closes a new customer or their own: theirs
  'unitContention', // the first deposit on a unit wins
  'ruling', // a manager's ruling decides a dispute
  'managerAssignment', // a manager assigns a customer before first contact
  'departed', // a departed consultant's customers
  'reportConverted', // a reported customer arrives inside the validity
  'reportDuplicate', // a customer already validly reported
  'reportLate', // reported after the first visit
  'reportExpired', // the validity passed without a visit
  'reportPublic', // too many lapsed reports: public lead
  'correction', // a registration corrected afterwards, the original kept
  'noContact', // the customer asked not to be called
  'invitation', // a customer invited by phone
  'invitationUnclaimed', // an invitation the customer cannot attribute, not objected to at that day's review: the receiver's
  'colleagueCall', // calling a colleague's customer
  'allBusy', // everyone is receiving: who may attend the newcomer
  'groupVisit', // a tour group is placed outside the rotation
  'dealCancelled', // a cancellation (退订/退房) frees the unit and reverses the credit; the buyer's owner keeps them under a new protection period
] as const;
export type DecisionKey = (typeof DECISIONS)[number];
export type DecisionClauses = Readonly<Record<DecisionKey, string>>;

/** A resolved policy: a preset with its overrides, as in force from `effectiveAt`. */
export interface Policy {
  readonly preset: string;
  readonly version: number;
  readonly effectiveAt: number;
  readonly parameters: PolicyParameters;
  readonly clauses: DecisionClauses;
  /** Clause ids the preset declares software cannot enforce, each with a reason. */
  readonly notEnforceable: Readonly<Record<string, string>>;
}
