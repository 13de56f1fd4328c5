// XX案场客户确认制度 — several teams, one queue, the Mingyuan CRM (lines 119-143).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const xxSiteMingyuan = definePreset(
  'xx-site-mingyuan',
  '售楼处客户归属确认制度（XX案场）',
  standard,
  {
    // 以第一接触为原则 (2.6a): no expiry stated.
    visit_protection_days: { value: null, clause: 'xx-site-mingyuan.2.6a' },
    // Calls are entered the same day (1) and a caller who names the rep goes to them (2.1b).
    call_protection_days: { value: { ownership: 'always', days: null, directions_call_owns: false }, clause: 'xx-site-mingyuan.1' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'xx-site-mingyuan.2.6a' },
    absent_owner_receiver: { value: 'same_team_colleague_then_other_team', clause: 'xx-site-mingyuan.2.6.1a' },
    helper_counts_as_rotation_turn: { value: false, clause: 'xx-site-mingyuan.2.4' },
    absent_owner_credit: { value: 'owner_100_helper_0', clause: 'xx-site-mingyuan.2.6.1c' },
    call_vs_visit_precedence: { value: 'earliest_contact_either_channel', clause: 'xx-site-mingyuan.2.1b' },
    returning_unrecognized_outcome: { value: 'look_up_in_crm', clause: 'xx-site-mingyuan.2.1c' },
    daily_cutoff_and_deadlines: {
      value: { daily_cutoff: null, rotation_carry_over: false, split_only_if_deal_same_day: true, event_day_identification: false },
      clause: 'xx-site-mingyuan.2.1a',
    },
    // Name and a reachable phone; date and the rep's signature are stamped by the system (2.5a).
    registration_required_fields: { value: ['name', 'phone'], clause: 'xx-site-mingyuan.2.5a' },
    first_question_set: { value: ['first_visit', 'prior_contact'], clause: 'xx-site-mingyuan.2.1a' },
    // The customer names the rep they were in contact with (2.1b); a name alone makes no claim.
    designation: { value: { new_customer_naming: 'prior_contact_only', counts_as_turn: false }, clause: 'xx-site-mingyuan.2.1b' },
  },
  {
    rotation: 'xx-site-mingyuan.2.1a',
    firstVisitOwner: 'xx-site-mingyuan.2.5b',
    registration: 'xx-site-mingyuan.2.5a',
    callOwner: 'xx-site-mingyuan.1',
    returningOwner: 'xx-site-mingyuan.2.6a',
    groupVisit: 'xx-site-mingyuan.2.4',
  },
  {
    'xx-site-mingyuan.2.6b': 'An access rule, not an attribution decision: the server enforces it (past registers need a manager or a grant).',
  },
);
