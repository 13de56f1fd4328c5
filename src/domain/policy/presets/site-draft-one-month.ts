// 客户归属规定(讨论稿) — first reception, one month, performance vs commission (lines 365-381).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const siteDraftOneMonth = definePreset(
  'site-draft-one-month',
  '房地产销售案场客户归属规定（讨论稿）',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'site-draft-one-month.3' },
    // 一个月 from the first reception to discovery (4b, 4c); the register discovers at once.
    // Inside it an old customer is the first receiver's (3).
    visit_protection_days: { value: 30, clause: 'site-draft-one-month.4c', clauses: { holds: 'site-draft-one-month.3' } },
    // Phone enquiries are allocated by the site manager (7): a call makes no claim.
    call_protection_days: { value: { ownership: 'never', days: null, directions_call_owns: false }, clause: 'site-draft-one-month.7' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'site-draft-one-month.4b' },
    // An existing customer brought along: the original rep receives, on their turn (9).
    referral_window_days: { value: { rule: 'named_or_accompanied', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: true }, clause: 'site-draft-one-month.9' },
    absent_owner_receiver: { value: 'last_in_rotation', clause: 'site-draft-one-month.3' },
    helper_counts_as_rotation_turn: { value: false, clause: 'site-draft-one-month.3' },
    // A named consultant away without notice: the on-duty rep's performance, commission halved (5b).
    // Standing in for an old customer's consultant (3): 首接业绩制, everything stays with the first receiver (1).
    absent_owner_credit: { value: 'performance_helper_commission_5_5', clause: 'site-draft-one-month.5b', clauses: { owner_keeps: 'site-draft-one-month.1' } },
    // Commission 5:5, performance to one side (4b, 5b, 6, 10b).
    split_ratios: { value: { absent_owner_commission: [5, 5], cooperative_performance: [5, 5], complaint_commission: [5, 5], complaint_referral_commission: [7, 3], family_cross: [5, 5] }, clause: 'site-draft-one-month.5b' },
    call_vs_visit_precedence: { value: 'visit_rotation_unless_appointment', clause: 'site-draft-one-month.7' },
    returning_unrecognized_outcome: { value: 'original_within_1_month_else_second_receiver', clause: 'site-draft-one-month.4b' },
    family_cross_rule: { value: 'performance_first_registrant_commission_5_5', clause: 'site-draft-one-month.6' },
    complaint_outcome: { value: 'original_keeps_unless_service_fault', clause: 'site-draft-one-month.10b', clauses: { service_fault: 'site-draft-one-month.10a', other_fault: 'site-draft-one-month.10b' } },
    first_question_set: { value: ['first_visit', 'phone_invited', 'received_flyer'], clause: 'site-draft-one-month.2' },
    designation: { value: { new_customer_naming: 'owns', counts_as_turn: false }, clause: 'site-draft-one-month.5a' },
  },
  {
    firstVisitOwner: 'site-draft-one-month.1',
    registration: 'site-draft-one-month.1',
    returningOwner: 'site-draft-one-month.3',
    recognizedHandover: 'site-draft-one-month.4a',
    lapse: 'site-draft-one-month.4c',
    managerAssignment: 'site-draft-one-month.8',
    callOwner: 'site-draft-one-month.7',
  },
);
