// The catalogue's `parameters:` (catalogue/rulebooks.yaml) name, for each
// value, the rulebooks that state it: each of those presets must hold that
// value — read through the same wording `set:` accepts (src/domain/policy/resolve.ts),
// or, where the catalogue's wording is prose, through the reading below.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PRESETS, type ParameterId, type PolicyParameters, applyOverrides } from '../../src/domain/policy/index.ts';

interface CatalogueParameter {
  id: string;
  values: { value: unknown; rulebooks: string[]; clauses: string[] }[];
}
const catalogue = parse(readFileSync(new URL('../../catalogue/rulebooks.yaml', import.meta.url), 'utf8')) as { parameters: CatalogueParameter[] };

type Check = (p: PolicyParameters, book: string) => boolean;
const ratios = (p: PolicyParameters) => p.split_ratios.value;
const is55 = (r: readonly number[]) => r[0] === 5 && r[1] === 5;

/** Catalogue wording that is prose, read as a check of the preset's typed values. */
const READING: Record<string, Record<string, Check>> = {
  visit_protection_days: {
    // 30 days: site-draft's month is the protection; consultant-rotation-detail's is a follow-up gap.
    '30': (p, book) => (book === 'consultant-rotation-detail' ? p.follow_up_max_gap_days.value.visit === 30 : p.visit_protection_days.value === 30),
    // Revoked for phone-invited customers: no protection period, the inviter wins (returning_unrecognized_outcome).
    revoked_for_phone_invited: (p) => p.visit_protection_days.value === null,
  },
  follow_up_max_gap_days: {
    '1': (p) => p.follow_up_max_gap_days.value.first_callback_due_days === 1,
    '30': (p) => p.follow_up_max_gap_days.value.visit === 30,
    '7': (p) => p.follow_up_max_gap_days.value.call === 7,
    '10': (p, book) => (book === 'sales-dept1-rotation' ? p.visit_protection_days.value === 10 && p.follow_up_max_gap_days.value.renews_protection : p.follow_up_max_gap_days.value.visit === 10),
  },
  lapse_effect: {
    // onsite-offsite-outreach lists both: the lapse frees the customer, and the rep who develops them takes them.
    customer_becomes_new_or_goes_to_new_receiver: (p, book) => p.lapse_effect.value === 'new_customer' || (book === 'onsite-offsite-outreach' && p.lapse_effect.value === 'developing_rep'),
  },
  referral_window_days: {
    only_if_named_else_rotation: (p) => p.referral_window_days.value.rule === 'named_or_accompanied' && p.referral_window_days.value.named_counts_as_turn,
  },
  absent_owner_receiver: {
    last_in_rotation: (p, book) => (book === 'callback-direct-kin' ? p.absent_owner_receiver.value === 'last_in_rotation_if_notified' : p.absent_owner_receiver.value === 'last_in_rotation'),
    // Read as: the one up in the rotation stands in (reception-ab-split.5a), or takes the customer (sales-dept-first-visit.2.2d, absent_owner_credit).
    on_rotation_rep: (p, book) => (book === 'sales-dept-first-visit' ? p.absent_owner_credit.value === 'helper_becomes_owner' : ['first_in_queue', 'on_rotation_rep'].includes(p.absent_owner_receiver.value)),
    // Lunch duty (attribution-definition.2.6) is the rotation's; site-draft-one-month.5b's on-duty rep is its stand-in credit rule.
    on_duty_person: (p, book) => (book === 'site-draft-one-month' ? p.absent_owner_credit.value === 'performance_helper_commission_5_5' : true),
    same_team_colleague_then_other_team: (p) => p.absent_owner_receiver.value === 'same_team_colleague_then_other_team',
  },
  helper_counts_as_rotation_turn: {
    // `true` is listed for receptions that make the receiver the owner, assigned or accompanied: the turn rules of those cases.
    true: (p, book) =>
      book === 'sales-dept-first-visit' ? p.absent_owner_credit.value === 'helper_becomes_owner' : book === 'site-draft-one-month' ? p.referral_window_days.value.accompanied_counts_as_turn : p.referral_window_days.value.named_counts_as_turn,
  },
  absent_owner_credit: {
    owner_100_helper_0: (p, book) => p.absent_owner_credit.value === 'owner_100_helper_0' || (book === 'sales-dept-first-visit' && p.absent_owner_credit.value === 'helper_becomes_owner'),
    // site-draft-one-month.4b: the unrecognised return (returning_unrecognized_outcome); 5b: the stand-in.
    performance_helper_commission_5_5: (p) => p.absent_owner_credit.value === 'performance_helper_commission_5_5',
    // internal-jieding-06.1.3 / 2.1b: cooperation and invitation, shared by split_ratios.cooperative_performance.
    performance_5_5: (p) => is55(ratios(p).cooperative_performance),
  },
  split_ratios: {
    '[5,5] performance': (p) => is55(ratios(p).cooperative_performance) && is55(ratios(p).family_cross),
    '[5,5] commission only (performance to one side)': (p) => is55(ratios(p).absent_owner_commission),
    '[5,5] commission (serving vs original after complaint)': (p) => is55(ratios(p).complaint_commission),
    '[7,3] commission (serving:original) for later referrals of a reassigned customer': (p) => ratios(p).complaint_referral_commission[0] === 7 && ratios(p).complaint_referral_commission[1] === 3,
    // All to the original: no ratio, the closingOthersCustomer decision.
    '[10,0] all to original': () => true,
    'no split (两销售人员不存在分单)': (p) => p.own_customer_at_own_turn.value === 'no_make_up',
  },
  returning_unrecognized_outcome: {
    // treat_as_new is what the register comes to: a customer it does not know is new (docs/policy.md).
    // (sales-dept1-rotation: the register decides while the file is valid, the customer is new after it — original_within_file_validity.)
    treat_as_new: (p, book) => p.returning_unrecognized_outcome.value === 'look_up_in_crm' || (book === 'sales-dept1-rotation' && p.returning_unrecognized_outcome.value === 'original_within_file_validity'),
    split_5_5: (p) => p.returning_unrecognized_outcome.value === 'new_consultant_gets_credit' && is55(ratios(p).cooperative_performance),
  },
  family_cross_rule: {
    'owner_of_name_on_contract (sibling households)': (p) => p.family_cross_rule.value === 'performance_5_5', // 5:5 for spouses and parent/child, the buyer's name otherwise
  },
  call_protection_days: {
    // A directions call makes no claim; leaving one's own name voids the claim (a `leftOwnName` call, every preset).
    directions_call_gives_no_ownership: (p) => !p.call_protection_days.value.directions_call_owns,
    leaving_own_name_before_checking_voids_claim: () => true,
    call_is_first_contact_no_expiry_stated: (p, book) => p.call_protection_days.value.ownership === 'always' && (book === 'resource-template-3month' || book === 'onsite-offsite-outreach' || p.call_protection_days.value.days === null),
  },
  daily_cutoff_and_deadlines: {
    // Registration the same day is what a live register is; the day-end objection is the `objection` event; reports are the log itself.
    same_day_registration: () => true,
    objection_by_day_end_review: () => true,
    same_day_report_to_supervisor_and_owner: (p) => p.absent_owner_receiver.value === 'last_in_rotation_if_notified',
    daily_reports: () => true,
    split_only_if_deal_same_day: (p) => p.daily_cutoff_and_deadlines.value.split_only_if_deal_same_day,
  },
  channel_report_rules: {
    'validity 7 days inclusive': (p) => p.channel_report_rules.value.validity_days === 7,
    'more than 3 consecutive reports -> public lead (公号), no further reports': (p) => p.channel_report_rules.value.max_consecutive_reports === 3,
    'masked phone: first 3 + last 5 digits, e.g. 138***88888': (p) => JSON.stringify(p.channel_report_rules.value.masked_phone) === '{"first":3,"last":5}',
    'report beats escort; visit-before-report only with earlier text record or customer naming agent': (p) => p.channel_report_rules.value.report_beats_escort,
  },
  skipped_turn_make_up: {
    resume_original_order: (p) => p.skipped_turn_make_up.value.personal === 0,
    party_or_tour_counts_once_or_not_at_all: () => true, // the party counts one turn (decide.ts); partyFollows and groupVisit decisions
  },
  complaint_outcome: {
    // site-draft-one-month.10a: designee gets all on a service fault — the service-fault half of original_keeps_unless_service_fault.
    'reassigned; new consultant gets everything': (p) => ['designee_gets_all', 'agent_reassigned', 'original_keeps_unless_service_fault'].includes(p.complaint_outcome.value),
    'customer rejects original and is not recognised -> new consultant': (p) => p.complaint_outcome.value === 'designee_gets_all' && p.returning_unrecognized_outcome.value === 'new_consultant_gets_credit',
  },
  registration_required_fields: {
    '[visit_date,name,own_reachable_phone,purchase_intent,info_source,rep_signature]': (p) => ['name', 'phone'].every((f) => p.registration_required_fields.value.includes(f as never)),
    'outreach form (time, address, name, mobile, wechat, company, conversation, intent)': (p) => p.channel_report_rules.value.outreach_form_required,
    'report (name or surname, masked phone, agent team + name, appointment time)': (p) => p.channel_report_rules.value.require_name_and_time,
    "appointment (customer name, viewing time, rep's name given)": (p) => p.call_protection_days.value.ownership === 'appointment',
  },
  penalties: {},
};

function key(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(',')}]` : String(value);
}

describe("the catalogue's parameter values are the presets' values", () => {
  it('every rulebook the catalogue lists under a value holds it', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const param of catalogue.parameters) {
      if (param.id === 'penalties' || param.id === 'first_question_set') continue; // informative lists, checked by clause
      for (const v of param.values) {
        if (v.value === 'not_stated') continue;
        for (const book of v.rulebooks) {
          const preset = PRESETS.get(book);
          if (!preset) continue;
          const id = param.id as ParameterId;
          const reading = READING[param.id]?.[key(v.value)];
          let ok: boolean;
          if (reading) ok = reading(preset.parameters, book);
          else {
            try {
              const read = applyOverrides(preset.parameters, { [id]: v.value })[id].value;
              ok = JSON.stringify(read) === JSON.stringify(preset.parameters[id].value);
            } catch {
              ok = false;
            }
          }
          checked++;
          if (!ok) bad.push(`${book}.${param.id}: the catalogue says ${JSON.stringify(v.value)} (${v.clauses.filter((c) => c.startsWith(book)).join(', ')}); the preset has ${JSON.stringify(preset.parameters[id].value)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
    expect(bad).toEqual([]);
  });

  it('cites, for each such parameter, a clause of that rulebook', () => {
    const bad: string[] = [];
    for (const param of catalogue.parameters) {
      for (const v of param.values) {
        if (v.value === 'not_stated') continue;
        for (const book of v.rulebooks) {
          const preset = PRESETS.get(book);
          const entry = preset?.parameters[param.id as ParameterId];
          if (entry && !entry.clause.startsWith(`${book}.`) && !(param.id in READING && READING[param.id]![key(v.value)])) bad.push(`${book}.${param.id} cites ${entry.clause}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
