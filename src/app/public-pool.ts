// 公客池: the customers nobody holds (status `public`: a departed consultant's
// customers in the department's pool, a ruling's `none`, a channel's public
// lead) and whether a consultant may take one. The engine models a claim as
// a contact: a call registers a customer (callOwner) where the policy lets a
// phone contact make the owner (call_protection_days.ownership, and
// call_vs_visit_precedence: a call without an appointment makes no claim
// under visit_rotation_unless_appointment); a departed consultant's pool is
// the manager's to reassign (departed_staff, attribution-definition.2.3).
// Whether a claim holds is the engine's own answer on a dry run of that call
// (nothing recorded); the claim itself records the call. Over GuishuApp's
// public methods only.
import { ownerView, policyAt, type OfficeState } from '../domain/engine/index.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { maskPhone } from '../domain/phone.ts';
import type { ClauseText, PoolEntry, PublicPool } from '../shared/api-answers.ts';
import { clauseText } from './clauses.ts';
import { dryRun } from './departure-preview.ts';
import { NotFoundError } from './errors.ts';
import type { GuishuApp, RecordResult } from './office.ts';
import { toIso } from './views.ts';

const POOL_LIMIT = 300;

function claimCall(staff: string, phone: string, at: number): OfficeEvent {
  return { id: `preview-claim-${staff}`, type: 'call', at, staff, direction: 'out', customer: { phone } } as OfficeEvent;
}

/** The engine's answer to "may `staff` take this public customer by a call now?", with its clause. */
function claimAnswer(state: OfficeState, staff: string, phone: string, at: number): { claimable: boolean; clause: string } {
  const policy = policyAt(state, at);
  const p = policy.parameters;
  const view = ownerView(state, state.customers.get(phone), at);
  if (view.ownership?.departedPool) return { claimable: false, clause: p.departed_staff.clause };
  const run = dryRun(state, claimCall(staff, phone, at));
  if ('changes' in run) {
    const taken = run.changes.find((c) => c.kind === 'ownership' && c.ownership.owner === staff);
    if (taken && taken.kind === 'ownership') return { claimable: true, clause: taken.ownership.basis.clause };
  }
  // Refused or no ownership: a call makes no claim under this policy.
  const clause = p.call_vs_visit_precedence.value === 'visit_rotation_unless_appointment' ? p.call_vs_visit_precedence.clause : p.call_protection_days.clause;
  return { claimable: false, clause };
}

function lastEvent(events: readonly string[] | undefined): string {
  return events?.[events.length - 1] ?? '';
}

/** The public customers, newest first (at most 300), each with whether `staff` may claim it. */
export function publicPool(app: GuishuApp, projectId: string, staff: string | null): Promise<PublicPool> {
  return app.query(projectId, (state, _project, at) => {
    const rows: (PoolEntry & { sinceMs: number })[] = [];
    for (const customer of state.customers.values()) {
      const view = ownerView(state, customer, at);
      if (view.status !== 'public') continue;
      const sinceMs = view.ownership?.since ?? 0;
      const answer = staff ? claimAnswer(state, staff, customer.phone, at) : { claimable: false, clause: policyAt(state, at).parameters.departed_staff.clause };
      rows.push({
        phone: maskPhone(customer.phone),
        ref: lastEvent(view.basis?.events),
        since: sinceMs ? toIso(sinceMs) : null,
        sinceMs,
        basis: view.basis ? { clause: view.basis.clause, text: clauseText(view.basis.clause) } : null,
        departedPool: view.ownership?.departedPool === true,
        claimable: answer.claimable,
        clause: answer.clause,
        clauseText: clauseText(answer.clause),
      });
    }
    rows.sort((a, b) => b.sinceMs - a.sinceMs || a.phone.localeCompare(b.phone));
    return { at: toIso(at), customers: rows.slice(0, POOL_LIMIT).map(({ sinceMs: _s, ...r }) => r) };
  });
}

/**
 * Claims a public customer for `staff`: finds it by its masked phone and ref,
 * checks with the engine that the claim holds, and records the call (an
 * outgoing call by `staff`, dated by the server). The result's decisions cite
 * the clause. `null` when the policy does not let this consultant take it.
 */
export async function claimFromPool(
  app: GuishuApp, projectId: string, staff: string, key: { phone: string; ref: string }, recordedBy: string | null,
): Promise<{ result: RecordResult; phone: string; clause: string } | { refused: { clause: string; text: ClauseText | null } }> {
  const found = await app.query(projectId, (state, _project, at) => {
    const matches = [...state.customers.values()].filter((c) => {
      const view = ownerView(state, c, at);
      return view.status === 'public' && maskPhone(c.phone) === key.phone && lastEvent(view.basis?.events) === key.ref;
    });
    if (matches.length !== 1) return null;
    const phone = matches[0]!.phone;
    return { phone, name: matches[0]!.name, ...claimAnswer(state, staff, phone, at) };
  });
  if (!found) throw new NotFoundError('customer-not-found', 'no public customer with this masked phone and ref (claimed meanwhile?)', 'phone');
  if (!found.claimable) return { refused: { clause: found.clause, text: clauseText(found.clause) } };
  const result = await app.recordEvent(projectId, { type: 'call', direction: 'out', staff, customer: { phone: found.phone, ...(found.name ? { name: found.name } : {}) } } as OfficeEvent, { recordedBy });
  return { result, phone: found.phone, clause: found.clause };
}
