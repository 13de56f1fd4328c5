// Phone fields: the one phone grammar of src/domain/phone.ts (the server's own),
// so a form refuses exactly what the server would, in the same words — +86,
// spaces, dashes and full-width digits accepted; a masked report phone in the
// shape the policy in force asks for. And the policy values the forms follow
// (mask shape, name and time), read from the preset plus its overrides.
import { checkPhoneText, formatMask, maskExample, maskShapeWords, phoneDigits, readPhone, type MaskShape, type PhoneVerdict } from '../../../src/domain/phone.ts';
import { PRESETS } from '../../../src/domain/policy/index.ts';

export { checkPhoneText, formatMask, maskExample, maskShapeWords, readPhone, type MaskShape, type PhoneVerdict };

interface PolicyVersionLike { effectiveAt: string; preset: string | null; set: Record<string, unknown> }

/** The version in force now: the last one whose effective time has come. */
export function policyInForce<T extends PolicyVersionLike>(policies: readonly T[] | undefined, now = Date.now()): T | undefined {
  const list = policies ?? [];
  return list.filter((p) => Date.parse(p.effectiveAt) <= now || Number.isNaN(Date.parse(p.effectiveAt))).at(-1) ?? list[0];
}

/** A parameter's value under a version: the override (objects merged over the preset's), else the preset's. */
export function parameterValue(version: PolicyVersionLike | undefined, id: string): unknown {
  if (!version) return undefined;
  const base = (PRESETS.get(version.preset ?? '')?.parameters as Record<string, { value: unknown }> | undefined)?.[id]?.value;
  const o = version.set[id];
  if (o === undefined) return base;
  return o !== null && typeof o === 'object' && !Array.isArray(o) && base && typeof base === 'object' ? { ...(base as object), ...(o as object) } : o;
}

export interface ReportRules { shape: MaskShape | null; nameAndTime: boolean }
/** What a channel report must look like under the policy in force (channel_report_rules: masked_phone, require_name_and_time). */
export function reportRules(policies: readonly PolicyVersionLike[] | undefined, now = Date.now()): ReportRules {
  const v = parameterValue(policyInForce(policies, now), 'channel_report_rules') as { masked_phone?: MaskShape | null; require_name_and_time?: boolean } | undefined;
  return { shape: v?.masked_phone ?? null, nameAndTime: v?.require_name_and_time ?? true };
}

/** The verdict a form shows: null while the text may still become a phone (fewer than 11 digits typed, nothing wrong yet). */
export function phoneFieldError(text: string, opts: { masks?: boolean; shape?: MaskShape | null } = {}): PhoneVerdict | null {
  if (!text.trim()) return null;
  const v = checkPhoneText(text, opts);
  if (v.ok) return null;
  const typed = phoneDigits(text).length;
  return v.reason === 'not-phone-text' || typed >= 11 ? v : null;
}
