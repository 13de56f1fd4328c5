// Phones, times and words shared by the screens.
import type { Lang } from './i18n.tsx';
import type { Staff } from '../api/office.ts';

/** 13800138000 → 138 0013 8000 (as the front desk reads it aloud). */
export function spacedPhone(p: string): string {
  const d = p.replace(/\D/g, '');
  return d.length === 11 ? `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}` : p;
}
/** 13800138000 → 138****8000: all the front desk sees of someone else's customer. */
export function maskPhone(p: string): string {
  const d = p.replace(/\D/g, '');
  return d.length === 11 ? `${d.slice(0, 3)}****${d.slice(7)}` : p;
}
export const digits = (p: string) => p.replace(/\D/g, '');
export const isMobile = (p: string) => /^1[3-9]\d{9}$/.test(digits(p));

/**
 * The time zone every time a person reads is shown in: the project's (GET /api/projects
 * gives it; the frame sets it with setProjectZone when the office is chosen). Until then,
 * and for a project without one, the server's default zone.
 */
export const DEFAULT_ZONE = 'Asia/Shanghai';
let zone = DEFAULT_ZONE;
export function setProjectZone(tz: string | null | undefined): void {
  zone = tz && validZone(tz) ? tz : DEFAULT_ZONE;
}
export const projectZone = () => zone;
function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function parts(d: Date, tz: string): Record<string, string> {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(tz, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** An ISO instant as the project's wall clock: `2025-03-04 15:46` (or `15:46` without the date). */
export function localTime(iso: string | null | undefined, withDate = true, tz: string = zone): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = parts(d, tz);
  return withDate ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : `${p.hour}:${p.minute}`;
}
/** With seconds: `2025-03-04 15:46:05` (logs). */
export function localDateTime(iso: string | null | undefined, tz: string = zone): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = parts(d, tz);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
/** The project's calendar date of an ISO instant: `2025-03-04`. */
export function localDate(iso: string, tz: string = zone): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = parts(d, tz);
  return `${p.year}-${p.month}-${p.day}`;
}
export const todayLocal = (tz: string = zone) => localDate(new Date().toISOString(), tz);

/** Calendar days from one instant's local date to another's, in the project's zone. */
export function daysBetween(fromIso: string, toIso: string, tz: string = zone): number {
  const a = Date.parse(`${localDate(fromIso, tz)}T00:00:00Z`);
  const b = Date.parse(`${localDate(toIso, tz)}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

export function staffName(staff: Staff[] | undefined, id: string | null | undefined, lang: Lang = 'zh'): string {
  if (!id || id === 'none') return lang === 'zh' ? '无' : 'nobody';
  if (id === 'unknown') return lang === 'zh' ? '说不清' : 'cannot say';
  const s = staff?.find((m) => m.id === id);
  return s?.name ?? id;
}

export const PRESENCE: Record<string, { zh: string; en: string; color: string }> = {
  present: { zh: '空闲', en: 'free', color: 'green' },
  available: { zh: '空闲', en: 'free', color: 'green' },
  busy: { zh: '接待中', en: 'receiving', color: 'orange' },
  'away-personal': { zh: '因私外出', en: 'away (personal)', color: 'default' },
  'away-business': { zh: '因公外出', en: 'away (business)', color: 'blue' },
  sick: { zh: '病假', en: 'sick', color: 'default' },
  off: { zh: '休息', en: 'off', color: 'default' },
  left: { zh: '已离职', en: 'left', color: 'default' },
  absent: { zh: '不在岗', en: 'absent', color: 'default' },
};

export const EVENT_TYPE: Record<string, { zh: string; en: string }> = {
  staff: { zh: '人员', en: 'staff' }, policy: { zh: '制度', en: 'policy' }, duty: { zh: '轮排表', en: 'roster' }, status: { zh: '状态', en: 'status' },
  call: { zh: '来电', en: 'call' }, visit: { zh: '到访', en: 'visit' }, recognize: { zh: '认出', en: 'recognized' }, followup: { zh: '跟进', en: 'follow-up' },
  outreach: { zh: '拓客', en: 'outreach' }, report: { zh: '报备', en: 'report' }, referral: { zh: '老带新', en: 'referral' }, relation: { zh: '亲属关系', en: 'relation' },
  'staff-relation': { zh: '员工关系', en: 'staff relation' }, deal: { zh: '成交', en: 'deal' }, complaint: { zh: '投诉', en: 'complaint' }, 'no-contact': { zh: '勿扰', en: 'do not call' },
  leave: { zh: '离职', en: 'left' }, campaign: { zh: '活动', en: 'campaign' }, ruling: { zh: '裁决', en: 'ruling' }, correction: { zh: '更正', en: 'correction' },
};

export const OWNER_STATUS: Record<string, { zh: string; en: string; color: string }> = {
  protected: { zh: '保护期内', en: 'protected', color: 'green' },
  lapsed: { zh: '保护期已过', en: 'lapsed', color: 'orange' },
  public: { zh: '公客池', en: 'public pool', color: 'default' },
  closed: { zh: '已成交', en: 'closed', color: 'gold' },
  none: { zh: '新客户', en: 'new', color: 'blue' },
};

export const REPORT_STATUS: Record<string, { zh: string; en: string; color: string }> = {
  valid: { zh: '有效', en: 'valid', color: 'green' },
  converted: { zh: '已到访', en: 'converted', color: 'blue' },
  expired: { zh: '已失效', en: 'expired', color: 'default' },
  duplicate: { zh: '重复', en: 'duplicate', color: 'red' },
  late: { zh: '客户已先到访', en: 'customer came first', color: 'orange' },
  public: { zh: '已转公号', en: 'public lead', color: 'purple' },
  rejected: { zh: '未通过', en: 'refused', color: 'red' },
};

export const ROLE: Record<string, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'administrator' }, manager: { zh: '案场经理', en: 'sales manager' }, frontdesk: { zh: '前台', en: 'front desk' },
  consultant: { zh: '置业顾问', en: 'consultant' }, channel: { zh: '渠道经纪人', en: 'channel agent' }, controller: { zh: '甲方', en: 'controller' },
};

export const w = (m: { zh: string; en: string } | undefined, lang: Lang, fallback = '') => (m ? m[lang] : fallback);
