// 沈阳x城销售业务管理制度 第一章 客户确认制度 — several agency teams, 7/15 days (lines 439-457).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const shenyangMultiTeam = definePreset(
  'shenyang-multi-team',
  '房地产销售客户归属制度（沈阳x城）',
  standard,
  {
    visit_protection_days: { value: 15, clause: 'shenyang-multi-team.2.2a' }, // 接访客户15天时效
    call_protection_days: { value: { ownership: 'always', days: 7, directions_call_owns: false }, clause: 'shenyang-multi-team.2.2a' }, // 接电客户7天时效
    // Ambiguity: 有效联系 is undefined; a logged follow-up with effective=true counts and restarts the period.
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: true }, clause: 'shenyang-multi-team.2.2c' },
    lapse_effect: { value: 'new_customer', clause: 'shenyang-multi-team.2.2c' },
    referral_window_days: { value: { rule: 'no_prior_contact', window_days: null, named_counts_as_turn: false, accompanied_counts_as_turn: false }, clause: 'shenyang-multi-team.2.3.1' },
    absent_owner_receiver: { value: 'same_team_colleague_then_other_team', clause: 'shenyang-multi-team.2.4' },
    absent_owner_credit: { value: 'team_decides', clause: 'shenyang-multi-team.2.3.2' },
    family_cross_rule: { value: 'team_decides', clause: 'shenyang-multi-team.2.4' },
    call_vs_visit_precedence: { value: 'call_first_if_same_day', clause: 'shenyang-multi-team.2.1b' },
    penalties: { value: ['altering a paper register = malicious poaching 恶意抢单 (1.2)', 'the team that omitted a registration answers for the clash (1.1b)'], clause: 'shenyang-multi-team.1.2' },
    daily_cutoff_and_deadlines: {
      value: { daily_cutoff: '18:00', rotation_carry_over: false, split_only_if_deal_same_day: true, event_day_identification: false },
      clause: 'shenyang-multi-team.1.3b',
    },
  },
  {
    firstVisitOwner: 'shenyang-multi-team.2.1a',
    registration: 'shenyang-multi-team.1.1a',
    callOwner: 'shenyang-multi-team.2.1b',
    returningOwner: 'shenyang-multi-team.2.1a',
    lapse: 'shenyang-multi-team.2.2c',
    closedPermanent: 'shenyang-multi-team.2.2b',
    correction: 'shenyang-multi-team.1.2',
  },
  {
    'shenyang-multi-team.1.3a': 'A reporting deadline for emailing registers to the developer; the developer reads the live register instead.',
    'shenyang-multi-team.1.1b': 'Assigns blame for a clash to the team that omitted a registration: a penalty outside attribution.',
  },
);
