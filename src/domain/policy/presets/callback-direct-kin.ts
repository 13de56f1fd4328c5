// 房地产客户归属规定 — first reception, callbacks, complaints, kinship order (lines 491-526).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const callbackDirectKin = definePreset(
  'callback-direct-kin',
  '房地产客户归属规定（回访与直系亲属首接）',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'callback-direct-kin.3b' },
    visit_protection_days: { value: null, clause: 'callback-direct-kin.1' },
    // Callers are kept with at least one callback a week (5).
    call_protection_days: { value: { ownership: 'always', days: null, directions_call_owns: false }, clause: 'callback-direct-kin.5' },
    // The first callback is due the day after the first visit; later ones follow the agreed schedule (4, not quantified: none).
    // Callers: at least one callback a week, else new (5).
    follow_up_max_gap_days: { value: { visit: null, call: 7, first_callback_due_days: 1, renews_protection: false }, clause: 'callback-direct-kin.4', clauses: { call: 'callback-direct-kin.5' } },
    // 超出回访期限的视为新客户 (4, 5).
    lapse_effect: { value: 'new_customer', clause: 'callback-direct-kin.4' },
    referral_window_days: { value: { rule: 'no_prior_contact', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'callback-direct-kin.6.1' },
    // Last in the rotation, when the owner had told colleagues the customer was coming (3b).
    absent_owner_receiver: { value: 'last_in_rotation_if_notified', clause: 'callback-direct-kin.3b' },
    helper_counts_as_rotation_turn: { value: false, clause: 'callback-direct-kin.3b' },
    absent_owner_credit: { value: 'owner_100_helper_0', clause: 'callback-direct-kin.1' },
    complaint_outcome: { value: 'commission_shared_then_referral_split', clause: 'callback-direct-kin.6.2a' },
    split_ratios: {
      value: { absent_owner_commission: [5, 5], cooperative_performance: [5, 5], complaint_commission: [5, 5], complaint_referral_commission: [7, 3], family_cross: [5, 5] },
      clause: 'callback-direct-kin.6.2b',
    },
    family_cross_rule: { value: 'kinship_priority', clause: 'callback-direct-kin.7.2' },
    first_question_set: { value: ['first_visit', 'phone_invited', 'prior_contact'], clause: 'callback-direct-kin.2' },
    designation: { value: { new_customer_naming: 'owns', counts_as_turn: false }, clause: 'callback-direct-kin.3a' },
  },
  {
    firstVisitOwner: 'callback-direct-kin.1',
    registration: 'callback-direct-kin.7.1',
    callOwner: 'callback-direct-kin.5',
    returningOwner: 'callback-direct-kin.3a',
    lapse: 'callback-direct-kin.4',
  },
);
