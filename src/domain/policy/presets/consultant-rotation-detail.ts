// 置业顾问客户归属细则 — rotation, skipped turns, referrals, one-month follow-up (lines 225-267).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const consultantRotationDetail = definePreset(
  'consultant-rotation-detail',
  '置业顾问客户归属细则',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'consultant-rotation-detail.1' },
    // No protection period; a month without follow-up costs the credit if another closes (9a).
    visit_protection_days: { value: null, clause: 'consultant-rotation-detail.2' },
    call_protection_days: { value: { ownership: 'never', days: null, directions_call_owns: false }, clause: 'consultant-rotation-detail.6' },
    follow_up_max_gap_days: { value: { visit: 30, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'consultant-rotation-detail.9a' },
    lapse_effect: { value: 'credit_only_if_other_closes', clause: 'consultant-rotation-detail.9a' },
    // Accompanied → the old customer's rep (5c); alone naming a rep → that rep, on their turn (5a); alone → rotation (5b).
    referral_window_days: {
      value: { rule: 'named_or_accompanied', window_days: null, named_counts_as_turn: true, accompanied_counts_as_turn: false },
      clause: 'consultant-rotation-detail.5c',
      clauses: { named: 'consultant-rotation-detail.5a', unnamed: 'consultant-rotation-detail.5b' },
    },
    absent_owner_receiver: { value: 'last_in_rotation', clause: 'consultant-rotation-detail.4c' },
    absent_owner_credit: { value: 'owner_100_helper_0', clause: 'consultant-rotation-detail.8' },
    // Closing a colleague's customer returns everything to the responsible rep (8).
    split_ratios: { value: { absent_owner_commission: [5, 5], cooperative_performance: [5, 5], complaint_commission: [5, 5], complaint_referral_commission: [7, 3], family_cross: [5, 5] }, clause: 'consultant-rotation-detail.8' },
    // Calls go by the rotation (6): a visit is the rotation's unless an appointment was made.
    call_vs_visit_precedence: { value: 'visit_rotation_unless_appointment', clause: 'consultant-rotation-detail.6' },
    family_cross_rule: { value: 'first_receiver_of_party', clause: 'consultant-rotation-detail.11' },
    // 忙完旧客户仍无新客户到访的,继续轮排: the place is kept; a turn passed to the next is not made up (7).
    own_customer_at_own_turn: { value: 'no_make_up', clause: 'consultant-rotation-detail.7' },
    skipped_turn_make_up: { value: { personal: 0, business: 1 }, clause: 'consultant-rotation-detail.3b' },
    registration_required_fields: { value: ['name', 'phone'], clause: 'consultant-rotation-detail.2' },
    first_question_set: { value: ['first_visit', 'prior_receiver'], clause: 'consultant-rotation-detail.4a' },
    designation: { value: { new_customer_naming: 'owns', counts_as_turn: true }, clause: 'consultant-rotation-detail.4b' },
  },
  {
    rotation: 'consultant-rotation-detail.1',
    firstVisitOwner: 'consultant-rotation-detail.2',
    registration: 'consultant-rotation-detail.2',
    returningOwner: 'consultant-rotation-detail.4b',
    // 都为其中某一位看房的,归第一时间接待的销售人员 (11); the party counts one turn (10) whatever it holds.
    partyFollows: 'consultant-rotation-detail.11',
    closingOthersCustomer: 'consultant-rotation-detail.8',
    lapse: 'consultant-rotation-detail.9a',
    noContact: 'consultant-rotation-detail.9b',
  },
);
