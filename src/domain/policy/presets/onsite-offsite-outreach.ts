// 案场与外场客户归属细则 — site and street prospecting (lines 327-363).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const onsiteOffsiteOutreach = definePreset(
  'onsite-offsite-outreach',
  '房地产案场与外场客户归属细则',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'onsite-offsite-outreach.1.1' },
    // 15 days from the first allocation, forfeited after a 10-day follow-up gap (1.2, 3.3); not renewed.
    // Ambiguity (1.2 vs 3.3 vs 4.1): the periods overlap without an order; whichever ends first ends the protection.
    visit_protection_days: { value: 15, clause: 'onsite-offsite-outreach.1.2' },
    call_protection_days: { value: { ownership: 'always', days: 15, directions_call_owns: false }, clause: 'onsite-offsite-outreach.3.4' },
    follow_up_max_gap_days: { value: { visit: 10, call: 10, first_callback_due_days: null, renews_protection: false }, clause: 'onsite-offsite-outreach.3.3' },
    // After a lapse the rep who develops the customer takes them automatically (1.2, 1.3).
    lapse_effect: { value: 'developing_rep', clause: 'onsite-offsite-outreach.1.3' },
    // Ambiguity (4.1 第一接待人): read as the old customer's consultant, for 40 days; then whoever receives (4.2).
    referral_window_days: { value: { rule: 'window', window_days: 40, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'onsite-offsite-outreach.4.1' },
    // If the reps still disagree over a household, whoever closes wins (2.3c).
    family_cross_rule: { value: 'closer_wins', clause: 'onsite-offsite-outreach.2.3c' },
    call_vs_visit_precedence: { value: 'earliest_contact_either_channel', clause: 'onsite-offsite-outreach.3.4' },
    returning_unrecognized_outcome: { value: 'look_up_in_crm', clause: 'onsite-offsite-outreach.3.2' },
  },
  {
    firstVisitOwner: 'onsite-offsite-outreach.3.1',
    registration: 'onsite-offsite-outreach.3.1',
    callOwner: 'onsite-offsite-outreach.3.4',
    outreachOwner: 'onsite-offsite-outreach.2.1',
    outreachSameTime: 'onsite-offsite-outreach.2.2',
    returningOwner: 'onsite-offsite-outreach.1.1',
    lapse: 'onsite-offsite-outreach.3.3',
  },
  {
    'onsite-offsite-outreach.2.3a': 'Who in a household controls the money is a judgement no register records; the manager rules.',
    'onsite-offsite-outreach.2.3b': 'Needs the relative size of two merchants\' businesses, which Guishu does not record; the manager rules.',
    'onsite-offsite-outreach.S1': 'A recommendation for paper daily reports; the live register replaces the consolidation it describes.',
  },
);
