// 销售部行为规范 七.客户的归属 — first recorded reception, with exceptions (lines 303-325).
import { definePreset } from '../define.ts';
import { standard } from './standard.ts';

export const devcoConductCh7 = definePreset(
  'devco-conduct-ch7',
  '房地产开发公司销售部行为规范：客户归属',
  standard,
  {
    // The rulebook does not carry the queue over: each day starts at the head of that day's roster.
    daily_cutoff_and_deadlines: { value: { ...standard.parameters.daily_cutoff_and_deadlines.value, rotation_carry_over: false }, clause: 'devco-conduct-ch7.7.1' },
    visit_protection_days: { value: null, clause: 'devco-conduct-ch7.7.1' },
    // A recorded call counts; giving one's own name before checking voids it (7.1.1: a call marked `leftOwnName`).
    call_protection_days: { value: { ownership: 'always', days: null, directions_call_owns: false }, clause: 'devco-conduct-ch7.7.1' },
    follow_up_max_gap_days: { value: { visit: null, call: null, first_callback_due_days: null, renews_protection: false }, clause: 'devco-conduct-ch7.7.1' },
    // Only a recorded reception counts; naming a rep at the door gives them nothing (7.1; a voided caller stays void, 7.1.1).
    designation: { value: { new_customer_naming: 'none', counts_as_turn: false }, clause: 'devco-conduct-ch7.7.1' },
    penalties: { value: ['disqualification + 1000 yuan fine (7.1.3)'], clause: 'devco-conduct-ch7.7.1.3' },
  },
  {
    firstVisitOwner: 'devco-conduct-ch7.7.1',
    callOwner: 'devco-conduct-ch7.7.1',
    returningOwner: 'devco-conduct-ch7.7.1',
    ruling: 'devco-conduct-ch7.7.0b',
  },
);
