// 离职预览: where a consultant's customers would go if they left now — the
// engine's own decision on a `leave` event, computed on the current state and
// recorded nowhere (decide is pure; nothing is applied). Over GuishuApp's
// public `query` only.
import { closedOwnerBasis, decide, ownerView, policyAt, type Change, type DecideContext, type OfficeState } from '../domain/engine/index.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { Rejected } from '../domain/rejection.ts';
import type { DepartureCustomer, DeparturePreview } from '../shared/api-answers.ts';
import { clauseText } from './clauses.ts';
import { InvalidInputError } from './errors.ts';
import type { GuishuApp } from './office.ts';
import { toIso } from './views.ts';

/** A decide context for events that need no policy resolution (a departure, a call). */
export const NO_POLICY_EVENTS: DecideContext = {
  resolvePolicy: () => {
    throw new Error('a preview decides no policy event');
  },
};

/** What the engine would decide for `event` now, without recording it: the changes, or the refusal. */
export function dryRun(state: OfficeState, event: OfficeEvent): { changes: Change[] } | { refused: Rejected } {
  try {
    return { changes: decide(state, event, NO_POLICY_EVENTS) };
  } catch (e) {
    if (e instanceof Rejected) return { refused: e };
    throw e;
  }
}

export function departurePreview(app: GuishuApp, projectId: string, staffId: string): Promise<DeparturePreview> {
  return app.query(projectId, (state, _project, at) => {
    const member = state.staff.get(staffId);
    if (!member) throw new InvalidInputError('staff', `no staff member ${staffId} in this project`);
    const policy = policyAt(state, at);
    const param = policy.parameters.departed_staff;
    const event = { id: `preview-leave-${staffId}`, type: 'leave', at, staff: staffId } as OfficeEvent;
    const run = dryRun(state, event);
    const moved = new Map<string, Change & { kind: 'ownership' }>();
    if ('changes' in run) for (const ch of run.changes) if (ch.kind === 'ownership') moved.set(ch.phone, ch);
    const customers: DepartureCustomer[] = [];
    for (const customer of state.customers.values()) {
      const view = ownerView(state, customer, at);
      const o = customer.ownership;
      if (!o || o.owner !== staffId) continue;
      const before = { owner: staffId, status: view.status, protectedUntil: view.protectedUntil === null ? null : toIso(view.protectedUntil) };
      const change = moved.get(customer.phone);
      if (change) {
        const clause = change.ownership.basis.clause;
        customers.push({ phone: customer.phone, name: customer.name ?? null, before, after: { owner: change.ownership.owner ?? 'none', status: 'public', outcome: 'pool' }, clause, clauseText: clauseText(clause) });
      } else {
        // Kept: a closed customer stays with the consultant who sold (the clause that gave them the deal's credit); otherwise the policy moves nobody.
        const clause = o.closed ? closedOwnerBasis(state, o).clause : param.clause;
        customers.push({ phone: customer.phone, name: customer.name ?? null, before, after: { owner: staffId, status: view.status, outcome: 'stays' }, clause, clauseText: clauseText(clause) });
      }
    }
    customers.sort((a, b) => (a.after.outcome === b.after.outcome ? a.phone.localeCompare(b.phone) : a.after.outcome === 'pool' ? -1 : 1));
    return {
      staff: staffId,
      name: member.name ?? null,
      at: toIso(at),
      policy: { value: String(param.value), clause: param.clause, text: clauseText(param.clause) },
      inRoster: state.rotation.order.includes(staffId),
      alreadyLeft: member.leftAt !== undefined,
      customers,
      counts: { pool: customers.filter((c) => c.after.outcome === 'pool').length, stays: customers.filter((c) => c.after.outcome === 'stays').length },
      refused: 'refused' in run ? { code: run.refused.code, zh: run.refused.messageZh, en: run.refused.messageEn } : null,
    };
  });
}
