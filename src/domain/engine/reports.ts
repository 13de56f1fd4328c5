// Channel pre-registration (报备): a report made before the customer's first
// visit gives the agent the customer if they arrive inside the validity.
import { coarseKey, coarseKeyOfMask, maskMatches, type PhoneMask } from '../phone.ts';
import type { OfficeState, Report, ReportStatus } from './state.ts';

function couldBe(report: Report, phone: string): boolean {
  return report.phone ? report.phone === phone : report.mask !== undefined && maskMatches(report.mask, phone);
}

/** Reports that could be this phone: filed in full, or masked so that it fits. */
export function reportsFor(state: OfficeState, phone: string): Report[] {
  const out: Report[] = [];
  const ids = state.reportsByKey.get(coarseKey(phone));
  if (ids) {
    for (const id of ids) {
      const r = state.reports.get(id);
      if (r && couldBe(r, phone)) out.push(r);
    }
  }
  for (const id of state.wideReports) {
    const r = state.reports.get(id);
    if (r && couldBe(r, phone)) out.push(r);
  }
  return out;
}

function sameVisible(a: PhoneMask, b: PhoneMask): boolean {
  // Two masks can be the same number when every digit both show agrees.
  const show = (m: PhoneMask) => m.prefix + '?'.repeat(m.hidden) + m.suffix;
  const x = show(a);
  const y = show(b);
  for (let i = 0; i < 11; i++) if (x[i] !== '?' && y[i] !== '?' && x[i] !== y[i]) return false;
  return true;
}

/** Reports that could be the customer a (possibly masked) phone names. */
export function reportsForMaskOrPhone(state: OfficeState, phone: string | undefined, mask: PhoneMask | undefined): Report[] {
  if (phone) return reportsFor(state, phone);
  if (!mask) return [];
  const key = coarseKeyOfMask(mask);
  const ids = key !== undefined ? [...(state.reportsByKey.get(key) ?? []), ...state.wideReports] : [...state.reports.keys()];
  const out: Report[] = [];
  for (const id of ids) {
    const r = state.reports.get(id);
    if (!r) continue;
    if (r.phone ? maskMatches(mask, r.phone) : r.mask !== undefined && sameVisible(r.mask, mask)) out.push(r);
  }
  return out;
}

/**
 * Known customers a mask could be (more than one: an ambiguous report). With
 * `name` (the policy requires the reported name), a customer on record under
 * another name is not one of them.
 */
export function customersForMask(state: OfficeState, mask: PhoneMask, name?: string): string[] {
  const key = coarseKeyOfMask(mask);
  const phones = key !== undefined && state.maskIndexed ? (state.customersByKey.get(key) ?? []) : state.customers.keys();
  const out: string[] = [];
  for (const phone of phones) {
    if (!maskMatches(mask, phone)) continue;
    const known = name === undefined ? undefined : state.customers.get(phone)?.name;
    if (known === undefined || namesAgree(name!, known)) out.push(phone);
  }
  return out;
}

/** Courtesy words after a surname (王先生, 李女士): a report often gives only the surname and one of these. */
const HONORIFIC = /(先生|女士|小姐|太太|夫人|老师|老板|阿姨|叔叔|总)$/u;
function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/[\s·.]/gu, '').replace(HONORIFIC, '').toLowerCase();
}

/**
 * Whether a reported name (full name, or surname, with or without 先生/女士)
 * and a customer's name can be the same person: one starts with the other
 * (王 · 王女士 · 王芳 agree with 王芳; 李 does not). A courtesy word alone
 * names nobody and agrees with any name.
 */
export function namesAgree(reported: string, actual: string): boolean {
  const a = nameKey(reported);
  const b = nameKey(actual);
  if (!a || !b) return true;
  return a.startsWith(b) || b.startsWith(a);
}

export function reportStatus(report: Report, at: number): ReportStatus {
  if (report.convertedBy) return 'converted';
  return at <= report.validUntil ? 'valid' : 'expired';
}

/**
 * The earliest report still valid for this phone at `at`. Where the policy
 * requires the reported name (`channel_report_rules.require_name_and_time`,
 * channel-sms-report.2c/5), pass `name: { name }` — the customer's name at
 * this arrival, or on record: a masked report is not theirs when its name
 * disagrees, since a mask fits many numbers. With no name to check (a
 * companion nobody named, the front desk still typing) nothing contradicts
 * the report. A report in full names the customer by the number itself.
 */
export function findValidReport(state: OfficeState, phone: string, at: number, check?: { name: string | undefined }): Report | undefined {
  let best: Report | undefined;
  for (const r of reportsFor(state, phone)) {
    if (r.convertedBy || r.validUntil < at || r.at > at) continue;
    if (check && r.mask && r.name !== undefined && check.name !== undefined && !namesAgree(r.name, check.name)) continue;
    if (!best || r.at < best.at) best = r;
  }
  return best;
}
