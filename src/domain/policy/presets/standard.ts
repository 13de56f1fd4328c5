// 标准 — Guishu's recommended policy for a new office. Each choice is taken
// from the rulebook that states it best; the README explains why.
import { definePreset } from '../define.ts';

export const standard = definePreset(
  'standard',
  '标准（推荐）',
  null,
  {
    // 15 days from the first reception, renewed by each effective contact: long enough to close, short enough that neglect frees the customer.
    visit_protection_days: { value: 15, clause: 'shenyang-multi-team.2.2a' },
    call_protection_days: { value: { ownership: 'always', days: 7, directions_call_owns: false }, clause: 'shenyang-multi-team.2.2a' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: true }, clause: 'shenyang-multi-team.2.2c' },
    lapse_effect: { value: 'new_customer', clause: 'shenyang-multi-team.2.2c' },
    referral_window_days: { value: { rule: 'chain', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'reception-ab-split.6' },
    // The last of the rotation helps an absent owner: nobody loses a turn to it.
    absent_owner_receiver: { value: 'last_in_rotation', clause: 'sales-dept-first-visit.2.2c' },
    helper_counts_as_rotation_turn: { value: false, clause: 'sales-dept-first-visit.2.2c' },
    // The owner keeps the performance; a helper who closes that day shares the commission.
    absent_owner_credit: { value: 'performance_owner_commission_5_5', clause: 'reception-ab-split.4d' },
    split_ratios: {
      value: { absent_owner_commission: [5, 5], cooperative_performance: [5, 5], complaint_commission: [5, 5], complaint_referral_commission: [7, 3], family_cross: [5, 5] },
      clause: 'internal-jieding-06.1.3',
    },
    // The system is the register: a returning customer is looked up by phone, not by memory.
    returning_unrecognized_outcome: { value: 'look_up_in_crm', clause: 'xx-site-mingyuan.2.1c' },
    family_cross_rule: { value: 'performance_5_5', clause: 'internal-jieding-06.1.5a' },
    call_vs_visit_precedence: { value: 'earliest_contact_either_channel', clause: 'attribution-definition.1.1a' },
    // The queue carries on next day from where it stopped: over a month every consultant gets the same number of new customers, whatever order the roster lists.
    // (Rulebook presets that do not say so restart each day at the head of that day's roster.)
    daily_cutoff_and_deadlines: {
      value: { daily_cutoff: null, rotation_carry_over: true, split_only_if_deal_same_day: true, event_day_identification: false },
      clause: 'sales-dept1-rotation.1.4',
    },
    channel_report_rules: {
      value: { validity_days: 7, max_consecutive_reports: 3, masked_phone: null, report_beats_escort: true, require_name_and_time: true, party_follows_reporter: true, outreach_form_required: false },
      clause: 'channel-sms-report.2d',
      clauses: { late_report: 'channel-sms-report.2b', escort: 'channel-sms-report.3a', party: 'channel-sms-report.3b' },
    },
    own_customer_at_own_turn: { value: 'make_up', clause: 'sales-dept-first-visit.2.2f' },
    skipped_turn_make_up: { value: { personal: 0, business: 1 }, clause: 'consultant-rotation-detail.3b' },
    complaint_outcome: { value: 'original_keeps_unless_service_fault', clause: 'site-draft-one-month.10a', clauses: { service_fault: 'site-draft-one-month.10a', other_fault: 'site-draft-one-month.10b' } },
    staff_relative_priority: { value: 'if_first_contact_or_prior_record', clause: 'resource-template-3month.2.2' },
    registration_required_fields: { value: ['name', 'phone'], clause: 'sales-dept-first-visit.1.3a' },
    penalties: { value: [], clause: 'devco-conduct-ch7.7.0b' },
    first_question_set: { value: ['first_visit', 'prior_receiver', 'phone_invited', 'referred_by', 'received_flyer'], clause: 'attribution-definition.1.3' },
    departed_staff: { value: 'public_pool', clause: 'attribution-definition.2.3' },
    designation: { value: { new_customer_naming: 'owns', counts_as_turn: true }, clause: 'site-draft-one-month.5a' },
  },
  {
    rotation: 'sales-dept1-rotation.1.2',
    firstVisitOwner: 'sales-dept-first-visit.1.2',
    registration: 'sales-dept-first-visit.1.3a',
    callOwner: 'attribution-definition.1.1a',
    outreachOwner: 'onsite-offsite-outreach.2.1',
    outreachSameTime: 'onsite-offsite-outreach.2.2',
    returningOwner: 'devco-conduct-ch7.7.1',
    ownCustomerNotATurn: 'sales-dept1-rotation.1.3',
    partyFollows: 'consultant-rotation-detail.11',
    recognizedHandover: 'site-draft-one-month.4a',
    depositVisitAssist: 'sales-dept-first-visit.2.2e',
    lapse: 'shenyang-multi-team.2.2c',
    closedPermanent: 'shenyang-multi-team.2.2b',
    closingOthersCustomer: 'consultant-rotation-detail.8',
    eventDayShared: 'internal-jieding-06.3.2',
    eventDayCloser: 'internal-jieding-06.3.3',
    eventDayOwn: 'internal-jieding-06.3.1',
    unitContention: 'sales-dept1-rotation.2.2.5',
    ruling: 'devco-conduct-ch7.7.0b',
    managerAssignment: 'site-draft-one-month.8',
    departed: 'attribution-definition.2.3',
    reportConverted: 'channel-sms-report.2a',
    reportDuplicate: 'channel-sms-report.3a',
    reportLate: 'channel-sms-report.2b',
    reportExpired: 'channel-sms-report.2d',
    reportPublic: 'channel-sms-report.2f',
    correction: 'shenyang-multi-team.1.2',
    noContact: 'consultant-rotation-detail.9b',
    invitation: 'internal-jieding-06.2.2',
    invitationUnclaimed: 'internal-jieding-06.2.1a',
    colleagueCall: 'internal-jieding-06.2.4',
    allBusy: 'sales-dept-first-visit.2.2g',
    groupVisit: 'xx-site-mingyuan.2.4',
    // No rulebook speaks of 退订/退房: the system's recommendation (docs/policy.md, Cancellations).
    dealCancelled: 'standard:default',
  },
);
