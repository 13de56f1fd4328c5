// 房地产-客户归属界定 — first contact, chain, staff relatives, departed staff (lines 269-301).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const attributionDefinition = definePreset(
  'attribution-definition',
  '房地产客户归属界定',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'attribution-definition.2.6' },
    visit_protection_days: { value: null, clause: 'attribution-definition.2.1' },
    call_protection_days: { value: { ownership: 'always', days: null, directions_call_owns: false }, clause: 'attribution-definition.1.1a' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'attribution-definition.2.1' },
    referral_window_days: { value: { rule: 'chain', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'attribution-definition.1.2a' },
    absent_owner_receiver: { value: 'whoever_is_receiving_any_colleague', clause: 'attribution-definition.1.1b' },
    absent_owner_credit: { value: 'owner_100_helper_0', clause: 'attribution-definition.1.1b' },
    returning_unrecognized_outcome: { value: 'look_up_in_crm', clause: 'attribution-definition.2.4' },
    call_vs_visit_precedence: { value: 'earliest_contact_either_channel', clause: 'attribution-definition.1.1a' },
    staff_relative_priority: { value: 'unconditional', clause: 'attribution-definition.1.2b' },
    first_question_set: { value: ['first_visit', 'phone_invited', 'knows_a_rep'], clause: 'attribution-definition.1.3' },
    penalties: { value: ['an unregistered visit is dereliction: the customer is lost (2.4)'], clause: 'attribution-definition.2.4' },
    departed_staff: { value: 'public_pool', clause: 'attribution-definition.2.3' },
    // Only a referred customer who designates a rep belongs to that rep (2.5); anyone else unregistered is new (2.4).
    designation: { value: { new_customer_naming: 'referred_only', counts_as_turn: true }, clause: 'attribution-definition.2.5' },
  },
  {
    rotation: 'attribution-definition.2.6',
    firstVisitOwner: 'attribution-definition.1.1a',
    registration: 'attribution-definition.2.1',
    callOwner: 'attribution-definition.1.1a',
    returningOwner: 'attribution-definition.1.1a',
    lapse: 'attribution-definition.2.4',
    departed: 'attribution-definition.2.3',
  },
);
