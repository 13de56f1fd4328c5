// 销售部客户管理制度 — first-visit registration decides (lines 5-27).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const salesDeptFirstVisit = definePreset(
  'sales-dept-first-visit',
  '房地产客户判定制度（第一来访登记）',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'sales-dept-first-visit.2.2a' },
    // 客户确认以客户来访第一次登记为唯一依据: no expiry stated.
    visit_protection_days: { value: null, clause: 'sales-dept-first-visit.1.3a' },
    // A call gives no claim; an appointment makes the appointed rep receive (2.2b).
    call_protection_days: { value: { ownership: 'appointment', days: null, directions_call_owns: false }, clause: 'sales-dept-first-visit.2.2b' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'sales-dept-first-visit.1.3a' },
    lapse_effect: { value: 'new_customer', clause: 'sales-dept-first-visit.1.3b' },
    absent_owner_receiver: { value: 'last_in_rotation', clause: 'sales-dept-first-visit.2.2c' },
    helper_counts_as_rotation_turn: { value: false, clause: 'sales-dept-first-visit.2.2c' },
    // Busy, sick, off or on business: the owner keeps; any other absence: the rotation rep takes the customer (2.2d).
    absent_owner_credit: { value: 'helper_becomes_owner', clause: 'sales-dept-first-visit.2.2d' },
    returning_unrecognized_outcome: { value: 'look_up_in_crm', clause: 'sales-dept-first-visit.1.3b' },
    own_customer_at_own_turn: { value: 'make_up', clause: 'sales-dept-first-visit.2.2f' },
    registration_required_fields: { value: ['name', 'phone'], clause: 'sales-dept-first-visit.1.3a' },
    // No household split: 以客户来访第一次登记为唯一依据 — a relative's own purchase is their own registration's (1.3a).
    family_cross_rule: { value: 'owner_of_buyer', clause: 'sales-dept-first-visit.1.3a' },
    first_question_set: { value: ['first_visit', 'relatives_visited'], clause: 'sales-dept-first-visit.2.1a' },
    // 指定某代表由其接待: the named rep receives and, receiving first, owns; absent, the rotation decides.
    designation: { value: { new_customer_naming: 'owns', counts_as_turn: false }, clause: 'sales-dept-first-visit.2.1a' },
  },
  {
    rotation: 'sales-dept-first-visit.2.2a',
    firstVisitOwner: 'sales-dept-first-visit.1.2',
    registration: 'sales-dept-first-visit.1.3a',
    returningOwner: 'sales-dept-first-visit.2.1a',
    ownCustomerNotATurn: 'sales-dept-first-visit.2.1a',
    depositVisitAssist: 'sales-dept-first-visit.2.2e',
    lapse: 'sales-dept-first-visit.1.3b',
    callOwner: 'sales-dept-first-visit.2.2b',
    allBusy: 'sales-dept-first-visit.2.2g',
  },
);
