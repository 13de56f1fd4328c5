// The policy catalogue in the browser: the presets come from the domain itself
// (src/domain/policy is pure TypeScript, no I/O), the clause texts from
// catalogue/rulebooks.yaml bundled at build time. What the manager edits is
// exactly what the engine reads.
import { parse } from 'yaml';
import catalogueText from '../../../catalogue/rulebooks.yaml?raw';
import { PRESETS, PARAMETER_IDS, policyParameters, type ParameterId, type PresetDefinition } from '../../../src/domain/policy/index.ts';

export { PRESETS, PARAMETER_IDS, policyParameters };
export type { ParameterId, PresetDefinition };

export interface Clause { id: string; zh: string; en: string; book: string; bookTitle: string }
let clauses: Map<string, Clause> | null = null;

export function clauseOf(id: string | null | undefined): Clause | null {
  if (!id) return null;
  if (!clauses) {
    clauses = new Map();
    const doc = parse(catalogueText) as { rulebooks?: { id: string; title_zh?: string; clauses?: { id?: string; zh?: string; en?: string }[] }[] };
    for (const b of doc.rulebooks ?? []) for (const c of b.clauses ?? []) if (c.id) clauses.set(c.id, { id: c.id, zh: String(c.zh ?? ''), en: String(c.en ?? ''), book: b.id, bookTitle: b.title_zh ?? b.id });
  }
  return clauses.get(id) ?? null;
}

/** Parameter names in words. */
export const PARAM_LABEL: Record<string, { zh: string; en: string }> = {
  visit_protection_days: { zh: '到访客户保护期（天）', en: 'Visit protection (days)' },
  call_protection_days: { zh: '来电客户归属与保护期', en: 'Call ownership and protection' },
  follow_up_max_gap_days: { zh: '跟进间隔与续期', en: 'Follow-up gap and renewal' },
  lapse_effect: { zh: '保护期失效后', en: 'After protection lapses' },
  referral_window_days: { zh: '老带新归属', en: 'Referrals' },
  absent_owner_receiver: { zh: '原顾问不在时由谁接待', en: 'Who receives for an absent owner' },
  helper_counts_as_rotation_turn: { zh: '协助接待是否计轮次', en: 'Helping uses a turn' },
  absent_owner_credit: { zh: '原顾问不在时业绩佣金', en: 'Credit when the owner is absent' },
  split_ratios: { zh: '分成比例', en: 'Split ratios' },
  returning_unrecognized_outcome: { zh: '老客户未认出', en: 'Returning customer not recognised' },
  family_cross_rule: { zh: '一家人不同顾问', en: 'One household, two consultants' },
  call_vs_visit_precedence: { zh: '来电与到访先后', en: 'Call vs visit precedence' },
  daily_cutoff_and_deadlines: { zh: '每日截止与轮排延续', en: 'Daily cut-off and carry-over' },
  channel_report_rules: { zh: '渠道报备规则', en: 'Channel report rules' },
  own_customer_at_own_turn: { zh: '轮到时接待自己客户', en: 'Own customer at own turn' },
  skipped_turn_make_up: { zh: '错过轮次补接', en: 'Make-up turns for missed turns' },
  complaint_outcome: { zh: '投诉处理', en: 'Complaint outcome' },
  staff_relative_priority: { zh: '员工亲友优先', en: 'Staff relatives' },
  registration_required_fields: { zh: '登记必填项', en: 'Required registration fields' },
  penalties: { zh: '处罚条款', en: 'Penalties' },
  first_question_set: { zh: '首问内容', en: 'First questions' },
  departed_staff: { zh: '离职顾问的客户', en: 'Departed consultants’ customers' },
  designation: { zh: '指定顾问', en: 'Named consultant' },
};

/** The overrides (`set`) that turn a preset's values into the edited ones. */
export function overridesOf(preset: PresetDefinition, values: Record<string, unknown>): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const id of PARAMETER_IDS) {
    const base = (preset.parameters as Record<string, { value: unknown }>)[id]!.value;
    if (JSON.stringify(base) !== JSON.stringify(values[id])) set[id] = values[id];
  }
  return set;
}

export function valuesOf(preset: PresetDefinition, set: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of PARAMETER_IDS) {
    const base = (preset.parameters as Record<string, { value: unknown }>)[id]!.value;
    const o = set[id];
    out[id] = o === undefined ? structuredClone(base) : o !== null && typeof o === 'object' && !Array.isArray(o) && base && typeof base === 'object' ? { ...(base as object), ...(o as object) } : o;
  }
  return out;
}
