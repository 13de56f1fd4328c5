// Channel pre-registration (报备): a report made before the customer's first
// visit gives the agent the customer if they arrive inside the validity.
import { maskKeyOf, type PhoneMask } from '../phone.ts';
import type { OfficeState, Report, ReportStatus } from './state.ts';

/** Reports that could be this phone: filed in full, or masked with a shape that fits. */
export function reportsFor(state: OfficeState, phone: string): Report[] {
  const ids: string[] = [...(state.reportsByPhone.get(phone) ?? [])];
  for (const shape of state.maskShapes) {
    const [prefix, hidden] = shape.split('|').map(Number) as [number, number];
    ids.push(...(state.reportsByMask.get(maskKeyOf(phone, prefix, hidden)) ?? []));
  }
  return ids.map((id) => state.reports.get(id)!).filter(Boolean);
}

/** Reports that could be the customer a (possibly masked) phone names. */
export function reportsForMaskOrPhone(state: OfficeState, phone: string | undefined, mask: PhoneMask | undefined): Report[] {
  if (phone) return reportsFor(state, phone);
  if (!mask) return [];
  const out: Report[] = [];
  for (const r of state.reports.values()) {
    if (r.phone && r.phone.startsWith(mask.prefix) && r.phone.endsWith(mask.suffix)) out.push(r);
    else if (r.mask && r.mask.prefix.startsWith(mask.prefix.slice(0, Math.min(r.mask.prefix.length, mask.prefix.length))) && sameVisible(r.mask, mask)) out.push(r);
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

export function reportStatus(report: Report, at: number): ReportStatus {
  if (report.convertedBy) return 'converted';
  return at <= report.validUntil ? 'valid' : 'expired';
}

/** The earliest report still valid for this phone at `at`. */
export function findValidReport(state: OfficeState, phone: string, at: number): Report | undefined {
  let best: Report | undefined;
  for (const r of reportsFor(state, phone)) {
    if (r.convertedBy || r.validUntil < at || r.at > at) continue;
    if (!best || r.at < best.at) best = r;
  }
  return best;
}
