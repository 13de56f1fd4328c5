// 06介定 — on-site, phone prospecting, events, referrals (lines 65-75).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const internalJieding06 = definePreset(
  'internal-jieding-06',
  '房地产客户介定归属制度（06介定）',
  standard,
  {
    // 个人长期保护政策失效 (2.3): no protection period; the register and the rules below decide.
    visit_protection_days: { value: null, clause: 'internal-jieding-06.2.3' },
    // A phone invitation on record is a claim (谁邀约接待业绩归谁, 2.3).
    // A caller who names the consultant who invited them is theirs; absent, a colleague helps (2.2).
    call_protection_days: { value: { ownership: 'always', days: null, directions_call_owns: false }, clause: 'internal-jieding-06.2.3', clauses: { invited: 'internal-jieding-06.2.2' } },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'internal-jieding-06.2.3' },
    // First referrer counts (4.2); a referral by one's own buyer comes back if recognised by the deal day (4.4).
    referral_window_days: { value: { rule: 'deal_day_recognition', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'internal-jieding-06.4.4' },
    absent_owner_receiver: { value: 'whoever_is_receiving_any_colleague', clause: 'internal-jieding-06.1.4' },
    helper_counts_as_rotation_turn: { value: false, clause: 'internal-jieding-06.1.4' },
    // A caller's named inviter away: 代理帮忙接待, the inviter's (2.2).
    absent_owner_credit: { value: 'owner_100_helper_0', clause: 'internal-jieding-06.1.4', clauses: { invited: 'internal-jieding-06.2.2' } },
    split_ratios: {
      value: { absent_owner_commission: [5, 5], cooperative_performance: [5, 5], complaint_commission: [5, 5], complaint_referral_commission: [7, 3], family_cross: [5, 5] },
      clause: 'internal-jieding-06.1.3',
    },
    // Denies a visit and the original, there, does not recognise: the new consultant's (1.2, 1.6); away: 5:5 (1.3).
    returning_unrecognized_outcome: {
      value: 'new_consultant_gets_credit',
      clause: 'internal-jieding-06.1.2',
      clauses: { original_away: 'internal-jieding-06.1.3', refuses_original: 'internal-jieding-06.1.6' },
    },
    // Spouses and parent/child 5:5 (1.5a, 4.3); sibling households follow the buyer's name (1.5b).
    family_cross_rule: { value: 'performance_5_5', clause: 'internal-jieding-06.1.5a', clauses: { sibling: 'internal-jieding-06.1.5b' } },
    // The customer refuses the original, who does not recognise them: the new consultant's (1.6).
    complaint_outcome: { value: 'designee_gets_all', clause: 'internal-jieding-06.1.6' },
    penalties: { value: ['heavy penalty for staff taking the referral bonus (4.1)'], clause: 'internal-jieding-06.4.1' },
    daily_cutoff_and_deadlines: {
      value: { daily_cutoff: null, rotation_carry_over: false, split_only_if_deal_same_day: false, event_day_identification: true },
      clause: 'internal-jieding-06.3.2',
    },
    first_question_set: { value: ['first_visit', 'prior_receiver'], clause: 'internal-jieding-06.1.1' },
  },
  {
    returningOwner: 'internal-jieding-06.1.4',
    invitation: 'internal-jieding-06.2.1b',
    invitationUnclaimed: 'internal-jieding-06.2.1a',
    colleagueCall: 'internal-jieding-06.2.4',
    eventDayShared: 'internal-jieding-06.3.2',
    eventDayCloser: 'internal-jieding-06.3.3',
    eventDayOwn: 'internal-jieding-06.3.1',
    closingOthersCustomer: 'internal-jieding-06.1.4',
    firstVisitOwner: 'internal-jieding-06.1.2',
  },
  {
    'internal-jieding-06.4.1': 'A bonus-payout rule: Guishu records attribution, not who is paid the public referral bonus.',
  },
);
