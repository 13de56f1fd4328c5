// Questions asked of the state: whose customer, who is up, how a report and a
// deal stand. Pure reads at a given instant.
import type { Rejected } from '../rejection.ts';
import { splitToJson } from '../shares.ts';
import { closedOwnerBasis, dealSplit } from './deals.ts';
import { ownerView, type OwnerView } from './ownership.ts';
import { reportStatus } from './reports.ts';
import { nextUp } from './rotation.ts';
import { type OfficeState, type ReportStatus, policyAt } from './state.ts';

export function ownerOf(state: OfficeState, phone: string, at: number): OwnerView {
  const view = ownerView(state, state.customers.get(phone), at);
  // A closed owner: the clause that gave them the deal's credit, as the deal stands now (an objection that day counts).
  return view.status === 'closed' && view.ownership ? { ...view, basis: closedOwnerBasis(state, view.ownership) } : view;
}

export interface RotationView {
  next: string | null;
  order: string[];
  makeUps: Record<string, number>;
  turns: Record<string, number>;
}

export function rotationView(state: OfficeState, at: number): RotationView {
  const policy = policyAt(state, at);
  const up = nextUp(state, at, policy);
  const makeUps: Record<string, number> = {};
  for (const [staff, list] of state.rotation.makeUps) makeUps[staff] = list.length;
  return { next: up.staff, order: [...state.rotation.order], makeUps, turns: Object.fromEntries(state.rotation.turns) };
}

const REFUSED_STATUS: Partial<Record<Rejected['code'], ReportStatus>> = {
  'duplicate-report': 'duplicate',
  'report-after-visit': 'late',
  'report-public': 'public',
};

export function reportView(state: OfficeState, id: string, at: number, rejection?: Rejected): { status: ReportStatus; agent?: string } | undefined {
  if (rejection) {
    const status = REFUSED_STATUS[rejection.code];
    return status ? { status } : undefined;
  }
  const r = state.reports.get(id);
  if (!r) return undefined;
  return { status: reportStatus(r, at), agent: r.agent };
}

export function dealView(state: OfficeState, id: string) {
  const deal = state.deals.get(id);
  if (!deal) return undefined;
  const split = dealSplit(state, deal);
  return {
    deal,
    performance: splitToJson(split.performance),
    commission: splitToJson(split.commission),
    split,
  };
}
