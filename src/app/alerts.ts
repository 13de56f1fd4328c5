// Protection-expiry alerts (保护期到期提醒), computed from the log: a pure
// function of the engine state at an instant, never a job that edits state.
// A customer whose protection ends within N local days is listed with the
// owner, the last protected instant and the clause the protection rests on.
import { ownerOf, type OfficeState } from '../domain/engine/index.ts';
import { formatLocalTime, localDay } from '../domain/time.ts';
import { clauseText } from './clauses.ts';
import type { GuishuApp } from './office.ts';

export interface ProtectionAlert {
  phone: string;
  name: string | null;
  owner: string;
  /** The last protected instant (ISO UTC) and as the office reads it. */
  protectedUntil: string;
  protectedUntilLocal: string;
  /** Local calendar days from `at` to the last protected day: 0 = ends today. */
  daysLeft: number;
  clause: string | null;
  clauseText: { zh: string; en: string } | null;
  basisEvents: string[];
}

/**
 * Customers under protection at `at` whose last protected local day is at
 * most `days` days after today, soonest first (then by phone).
 */
export function protectionAlerts(state: OfficeState, at: number, days = 2): ProtectionAlert[] {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0, got ${days}`);
  const tz = state.timezone;
  const today = localDay(at, tz);
  const out: ProtectionAlert[] = [];
  for (const [phone, customer] of state.customers) {
    const view = ownerOf(state, phone, at);
    if (view.status !== 'protected' || view.protectedUntil === null || view.owner === null) continue;
    const daysLeft = localDay(view.protectedUntil, tz) - today;
    // NaN too: a protection end beyond what a Date holds (an extreme time stored before times were range-checked) is not "soon".
    if (!(daysLeft >= 0 && daysLeft <= days)) continue;
    const clause = view.basis?.clause ?? null;
    const text = clauseText(clause);
    out.push({
      phone,
      name: customer.name ?? null,
      owner: view.owner,
      protectedUntil: new Date(view.protectedUntil).toISOString(),
      protectedUntilLocal: formatLocalTime(view.protectedUntil, tz),
      daysLeft,
      clause,
      clauseText: text ? { zh: text.zh, en: text.en } : null,
      basisEvents: view.basis ? [...view.basis.events] : [],
    });
  }
  return out.sort((a, b) => a.protectedUntil.localeCompare(b.protectedUntil) || a.phone.localeCompare(b.phone));
}

/** The alerts of a project now (or at `at`), over the app's cached state. */
export async function projectAlerts(app: GuishuApp, projectId: string, opts: { days?: number; at?: number } = {}): Promise<ProtectionAlert[]> {
  return app.query(projectId, (state, _project, now) => protectionAlerts(state, opts.at ?? now, opts.days ?? 2));
}
