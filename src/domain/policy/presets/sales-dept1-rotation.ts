// 销售一部客户归属制度 — strict rotation, 10-day file validity (lines 383-401).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const salesDept1Rotation = definePreset(
  'sales-dept1-rotation',
  '房地产客户归属制度（销售一部）',
  standard,
  {
    // 客户建档有效期10天, kept alive by follow-up records (2.1.6).
    visit_protection_days: { value: 10, clause: 'sales-dept1-rotation.2.1.6' },
    // Calls are allocated by the supervisor (2.1.4); a directions call is new on arrival (2.1.5).
    call_protection_days: { value: { ownership: 'never', days: null, directions_call_owns: false }, clause: 'sales-dept1-rotation.2.1.4' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: true }, clause: 'sales-dept1-rotation.2.1.6' },
    lapse_effect: { value: 'new_customer', clause: 'sales-dept1-rotation.2.1.6' },
    // Friends of a past buyer who ask for the original may be received out of turn (2.1.7; the turn effect is not stated: none).
    referral_window_days: { value: { rule: 'named_or_accompanied', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'sales-dept1-rotation.2.1.7' },
    absent_owner_receiver: { value: 'whoever_is_receiving_any_colleague', clause: 'sales-dept1-rotation.2.2.1' },
    helper_counts_as_rotation_turn: { value: false, clause: 'sales-dept1-rotation.1.3' },
    // Closing a colleague's customer: all to the original (2.2.4); no other ratio stated (standard's).
    split_ratios: { value: { absent_owner_commission: [5, 5], cooperative_performance: [5, 5], complaint_commission: [5, 5], complaint_referral_commission: [7, 3], family_cross: [5, 5] }, clause: 'sales-dept1-rotation.2.2.4' },
    // Calls are the supervisor's to allocate (2.1.4, 2.1.5): a visit goes by the rotation unless an appointment was made.
    call_vs_visit_precedence: { value: 'visit_rotation_unless_appointment', clause: 'sales-dept1-rotation.2.1.4' },
    absent_owner_credit: { value: 'owner_100_helper_0', clause: 'sales-dept1-rotation.2.2.1' },
    returning_unrecognized_outcome: { value: 'original_within_file_validity', clause: 'sales-dept1-rotation.2.2.3' },
    daily_cutoff_and_deadlines: {
      value: { daily_cutoff: null, rotation_carry_over: true, split_only_if_deal_same_day: true, event_day_identification: false },
      clause: 'sales-dept1-rotation.1.4',
    },
    // B's own customer does not use A's turn; a B still busy fills in right after C (1.3).
    own_customer_at_own_turn: { value: 'make_up', clause: 'sales-dept1-rotation.1.3' },
    complaint_outcome: { value: 'designee_gets_all', clause: 'sales-dept1-rotation.2.2.2' },
    staff_relative_priority: { value: 'referral_beats_staff_relationship', clause: 'sales-dept1-rotation.2.2.6' },
    first_question_set: { value: ['first_visit', 'prior_receiver'], clause: 'sales-dept1-rotation.2.1.3' },
  },
  {
    rotation: 'sales-dept1-rotation.1.2',
    firstVisitOwner: 'sales-dept1-rotation.2.1.1',
    registration: 'sales-dept1-rotation.2.1.2',
    returningOwner: 'sales-dept1-rotation.2.1.3',
    ownCustomerNotATurn: 'sales-dept1-rotation.1.3',
    lapse: 'sales-dept1-rotation.2.1.6',
    closingOthersCustomer: 'sales-dept1-rotation.2.2.4',
    unitContention: 'sales-dept1-rotation.2.2.5',
    callOwner: 'sales-dept1-rotation.2.1.4',
    // 来电咨询客户…由上级领导统一分配 (2.1.4): a caller the manager assigns before any visit.
    managerAssignment: 'sales-dept1-rotation.2.1.4',
  },
);
