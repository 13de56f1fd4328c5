// 售楼处接待制度及客户归属 — the A/B stand-in and commission sharing (lines 403-437).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const receptionAbSplit = definePreset(
  'reception-ab-split',
  '售楼处接待制度及客户归属',
  standard,
  {
    visit_protection_days: { value: null, clause: 'reception-ab-split.4b' },
    // Only a concrete appointment (name, time, the rep's own name given) makes a caller the rep's (7).
    call_protection_days: { value: { ownership: 'appointment', days: null, directions_call_owns: false }, clause: 'reception-ab-split.7' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'reception-ab-split.4b' },
    referral_window_days: { value: { rule: 'chain', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'reception-ab-split.6' },
    // The first in the queue (B) stands in, with A's consent (4c); helping is not B's turn (not stated: none).
    absent_owner_receiver: { value: 'first_in_queue', clause: 'reception-ab-split.4c' },
    helper_counts_as_rotation_turn: { value: false, clause: 'reception-ab-split.4c' },
    // A past buyer's referral, its consultant away: the same split (5b).
    absent_owner_credit: { value: 'performance_owner_commission_5_5', clause: 'reception-ab-split.4d', clauses: { buyer_referral: 'reception-ab-split.5b' } },
    // Commission 5:5 same day (4d, 5b); all to the original when concealed (4e).
    split_ratios: { value: { absent_owner_commission: [5, 5], cooperative_performance: [5, 5], complaint_commission: [5, 5], complaint_referral_commission: [7, 3], family_cross: [5, 5] }, clause: 'reception-ab-split.4d' },
    call_vs_visit_precedence: { value: 'visit_rotation_unless_appointment', clause: 'reception-ab-split.7' },
    // 轮空处理: after serving, one not at the turn's position receives in the original order (3): no make-ups stated beyond the standard's.
    skipped_turn_make_up: { value: { personal: 0, business: 1 }, clause: 'reception-ab-split.3' },
    registration_required_fields: { value: ['name', 'phone'], clause: 'reception-ab-split.2' },
    daily_cutoff_and_deadlines: {
      value: { daily_cutoff: null, rotation_carry_over: false, split_only_if_deal_same_day: true, event_day_identification: false },
      clause: 'reception-ab-split.3',
    },
    // A's old customer at A's turn: B takes the new one outright, no sharing, no make-up stated (8).
    own_customer_at_own_turn: { value: 'no_make_up', clause: 'reception-ab-split.8' },
    first_question_set: { value: ['first_visit', 'prior_receiver'], clause: 'reception-ab-split.4a' },
  },
  {
    rotation: 'reception-ab-split.1',
    registration: 'reception-ab-split.2',
    firstVisitOwner: 'reception-ab-split.2',
    returningOwner: 'reception-ab-split.4b',
    ownCustomerNotATurn: 'reception-ab-split.3',
    closingOthersCustomer: 'reception-ab-split.4e',
    callOwner: 'reception-ab-split.7',
  },
);
