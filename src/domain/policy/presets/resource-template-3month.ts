// 售楼部客户资源的归属规定 — first contact, chain, three months (lines 201-223).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const resourceTemplate3Month = definePreset(
  'resource-template-3month',
  '售楼部客户资源的归属规定（三个月）',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'resource-template-3month.1.1' },
    visit_protection_days: { value: 90, clause: 'resource-template-3month.3' }, // 三个月
    call_protection_days: { value: { ownership: 'always', days: 90, directions_call_owns: false }, clause: 'resource-template-3month.1.1' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'resource-template-3month.3' },
    referral_window_days: { value: { rule: 'chain', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'resource-template-3month.2.1' },
    absent_owner_receiver: { value: 'whoever_is_receiving_any_colleague', clause: 'resource-template-3month.1.2' },
    absent_owner_credit: { value: 'owner_100_helper_0', clause: 'resource-template-3month.1.2' },
    staff_relative_priority: { value: 'if_first_contact_or_prior_record', clause: 'resource-template-3month.2.2' },
    call_vs_visit_precedence: { value: 'earliest_contact_either_channel', clause: 'resource-template-3month.1.1' },
  },
  {
    firstVisitOwner: 'resource-template-3month.1.1',
    callOwner: 'resource-template-3month.1.1',
    returningOwner: 'resource-template-3month.1.1',
    lapse: 'resource-template-3month.3',
  },
);
