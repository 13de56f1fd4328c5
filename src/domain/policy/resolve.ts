// Resolving a policy: a preset plus `set:` overrides keyed by the catalogue's
// parameter ids. Values may be written as the catalogue writes them
// ("unlimited_or_not_stated", "only_with_concrete_appointment", 15, …) or as
// this schema's typed values; the clause of an override is the clause of the
// preset that makes the same choice, so every decision still cites a rule.
import type { PresetDefinition } from './define.ts';
import { PRESETS } from './presets/index.ts';
import { PARAMETER_IDS, type ParameterId, type Policy, type PolicyParameters, policyParameters } from './schema.ts';

export class PolicyError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'PolicyError';
  }
}

type Raw = unknown;
type Coerce = (raw: Raw, current: unknown) => unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const merge = (raw: Raw, current: unknown) => (isObject(raw) && isObject(current) ? { ...current, ...raw } : raw);
const alias = (table: Record<string, unknown>): Coerce => (raw, current) => (typeof raw === 'string' && raw in table ? table[raw] : merge(raw, current));

const COERCE: Partial<Record<ParameterId, Coerce>> = {
  visit_protection_days: (raw) => (raw === 'unlimited_or_not_stated' || raw === 'revoked_for_phone_invited' || raw === 'unlimited' || raw === 'none' ? null : raw),
  call_protection_days: (raw, current) => {
    const c = current as PolicyParameters['call_protection_days']['value'];
    if (typeof raw === 'number') return { ...c, ownership: 'always', days: raw };
    if (raw === null) return { ...c, ownership: 'always', days: null };
    const table: Record<string, unknown> = {
      kept_while_followed_up_weekly: { ...c, ownership: 'always', days: null },
      call_is_first_contact_no_expiry_stated: { ...c, ownership: 'always', days: null },
      only_with_concrete_appointment: { ...c, ownership: 'appointment' },
      no_ownership_calls_allocated_by_rotation: { ...c, ownership: 'never' },
      no_ownership_calls_allocated_by_manager: { ...c, ownership: 'never' },
      directions_call_gives_no_ownership: { ...c, directions_call_owns: false },
      leaving_own_name_before_checking_voids_claim: { ...c },
    };
    return alias(table)(raw, current);
  },
  follow_up_max_gap_days: (raw, current) => {
    const c = current as PolicyParameters['follow_up_max_gap_days']['value'];
    if (typeof raw === 'number') return { ...c, visit: raw, call: raw };
    if (raw === null || raw === 'none') return { ...c, visit: null, call: null, first_callback_due_days: null };
    if (raw === 'effective_contact_within_protection_period') return { ...c, visit: null, call: null, renews_protection: true };
    return merge(raw, current);
  },
  returning_unrecognized_outcome: alias({
    // A customer the register does not know is new anyway; one it knows is looked up: the same decisions.
    treat_as_new: 'look_up_in_crm',
    original_within_file_validity_10d: 'original_within_file_validity',
    split_5_5: 'new_consultant_gets_credit',
  }),
  lapse_effect: alias({
    customer_becomes_new_or_goes_to_new_receiver: 'new_customer',
    transfers_to_rep_who_develops_customer: 'developing_rep',
    owner_loses_credit_only_if_another_closes: 'credit_only_if_other_closes',
  }),
  referral_window_days: (raw, current) => {
    const c = current as PolicyParameters['referral_window_days']['value'];
    if (typeof raw === 'number') return { ...c, rule: 'window', window_days: raw };
    const table: Record<string, unknown> = {
      unlimited_transitive_chain: { ...c, rule: 'chain', window_days: null },
      recognised_on_or_before_deal_day: { ...c, rule: 'deal_day_recognition', window_days: null },
      only_if_no_prior_contact_else_first_registrant: { ...c, rule: 'no_prior_contact', window_days: null },
      only_if_named_else_rotation: { ...c, rule: 'named_or_accompanied', window_days: null },
    };
    return alias(table)(raw, current);
  },
  helper_counts_as_rotation_turn: (raw) => (raw === 'own_returning_customer_does_not_consume_turn' || raw === 'not_stated' ? false : raw),
  family_cross_rule: alias({
    'performance 5:5': 'performance_5_5',
    'owner_of_name_on_contract (sibling households)': 'owner_of_buyer',
    owner_of_name_on_contract: 'owner_of_buyer',
    'performance to first registrant, commission 5:5': 'performance_first_registrant_commission_5_5',
    'first_receiver_of_party; members with own need by time slot': 'first_receiver_of_party',
    'kinship_priority spouse>parents>children>siblings>others': 'kinship_priority',
    'economic_decision_maker / larger_business_type / closer_wins': 'closer_wins',
    'team_decides (multiple units under different names)': 'team_decides',
  }),
  daily_cutoff_and_deadlines: (raw, current) => {
    const c = current as PolicyParameters['daily_cutoff_and_deadlines']['value'];
    const table: Record<string, unknown> = {
      rotation_carries_over_overnight: { ...c, rotation_carry_over: true },
      '18:00 daily (later data counts next day); paper by Sunday 18:00': { ...c, daily_cutoff: '18:00' },
      split_only_if_deal_same_day: { ...c, split_only_if_deal_same_day: true },
      'identification_on_event_day / on_or_before_deal_day': { ...c, event_day_identification: true },
    };
    return alias(table)(raw, current);
  },
  channel_report_rules: (raw, current) => (typeof raw === 'number' ? { ...(current as object), validity_days: raw } : merge(raw, current)),
  own_customer_at_own_turn: alias({
    'next_rep_takes_new; one make-up turn later': 'make_up',
    'next_rep_takes_new; keeps place if no new arrival': 'no_make_up',
    'next_rep_takes_new; keeps place if no new arrival meanwhile': 'no_make_up',
    'next_rep_takes_new; no sharing; make-up not stated': 'no_make_up',
    'own customer does not consume turn; if skipped, fills in after next rep': 'make_up',
    // Earlier names, equivalent: the place is kept while no new customer arrives; filling in after the next is a make-up.
    keep_place: 'no_make_up',
    fill_in_after_next: 'make_up',
  }),
  skipped_turn_make_up: (raw, current) =>
    raw === 'personal: none; company business: 1 priority make-up' ? { personal: 0, business: 1 } : typeof raw === 'number' ? { ...(current as object), business: raw } : merge(raw, current),
  complaint_outcome: alias({
    'reassigned; new consultant gets everything': 'designee_gets_all',
    'reassigned; commission 5:5; later referrals 7:3': 'commission_shared_then_referral_split',
    commission_5_5_then_7_3: 'commission_shared_then_referral_split',
    "not consultant's fault -> original keeps; stand-in close -> commission 5:5": 'original_keeps_unless_service_fault',
  }),
  staff_relative_priority: alias({
    priority_to_that_salesperson_if_first_contact_or_prior_record: 'if_first_contact_or_prior_record',
    priority_to_that_salesperson_unconditional: 'unconditional',
    referral_by_past_buyer_beats_staff_relationship: 'referral_beats_staff_relationship',
  }),
  departed_staff: alias({ 'to department; unordered customers treated as new and reassigned by sales manager': 'public_pool' }),
  split_ratios: merge,
  designation: merge,
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The clause (and the clauses of its cases) of the preset that makes this same choice, if any does. */
function clauseForChoice(id: ParameterId, value: unknown): { clause: string; clauses?: Record<string, string | undefined> } | undefined {
  for (const preset of PRESETS.values()) {
    const entry = preset.parameters[id];
    if (same(entry.value, value) && !preset.fromStandard.includes(id)) return { clause: entry.clause, ...(entry.clauses ? { clauses: entry.clauses } : {}) };
  }
  return undefined;
}

export function presetById(id: string): PresetDefinition {
  const preset = PRESETS.get(id);
  if (!preset) throw new PolicyError('policy.preset', `unknown preset "${id}" (one of: ${[...PRESETS.keys()].join(', ')})`);
  return preset;
}

export function applyOverrides(parameters: PolicyParameters, set: Readonly<Record<string, unknown>> = {}): PolicyParameters {
  const out: Record<string, unknown> = { ...parameters };
  for (const [key, raw] of Object.entries(set)) {
    if (!(PARAMETER_IDS as string[]).includes(key)) {
      throw new PolicyError(`policy.set.${key}`, `unknown parameter (one of: ${PARAMETER_IDS.join(', ')})`);
    }
    const id = key as ParameterId;
    const current = parameters[id];
    const value = (COERCE[id] ?? ((r: Raw) => r))(raw, current.value);
    // A choice no preset makes keeps the preset's clause; its cases' clauses only while the value is the preset's own.
    const cited = clauseForChoice(id, value) ?? { clause: current.clause, ...(current.clauses && same(current.value, value) ? { clauses: current.clauses } : {}) };
    const entry = { value, ...cited, note: 'set by the office' };
    const checked = policyParameters.shape[id].safeParse(entry);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new PolicyError(`policy.set.${key}${issue.path.length > 1 ? '.' + issue.path.slice(1).join('.') : ''}`, `${issue.message} (got ${JSON.stringify(raw)})`);
    }
    out[id] = checked.data;
  }
  return out as PolicyParameters;
}

export function resolvePolicy(presetId: string, set: Readonly<Record<string, unknown>> | undefined, effectiveAt: number, version = 1): Policy {
  const preset = presetById(presetId);
  return {
    preset: preset.id,
    version,
    effectiveAt,
    parameters: applyOverrides(preset.parameters, set),
    clauses: preset.clauses,
    notEnforceable: preset.notEnforceable,
  };
}
