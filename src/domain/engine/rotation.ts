// The reception rotation (轮排): who is up for the next new customer, make-up
// turns (补接) and how a take moves the queue. Everything here is a pure read
// of the state at an instant; `evolve` applies the `TurnTaken` it computes.
import type { PresenceState } from '../events.ts';
import type { Policy } from '../policy/schema.ts';
import { type Basis, type MakeUp, type OfficeState, basis } from './state.ts';

export type Availability = 'available' | PresenceState | 'not-on-duty' | 'left';

/** Presence at an instant: off the roster is off; a status lasts its day unless it says `until`. */
export function availabilityOf(state: OfficeState, staff: string, at: number): Availability {
  const member = state.staff.get(staff);
  if (member?.leftAt !== undefined && member.leftAt <= at) return 'left';
  if (!state.rotation.order.includes(staff)) return 'not-on-duty';
  const presence = state.presence.get(staff);
  if (!presence || presence.until < at || presence.state === 'present') return 'available';
  return presence.state;
}

export function isOnSite(state: OfficeState, staff: string, at: number): boolean {
  return availabilityOf(state, staff, at) === 'available';
}

/** On site, even if busy with someone: can be fetched for their own customer when free. */
export function isAtOffice(state: OfficeState, staff: string, at: number): boolean {
  const a = availabilityOf(state, staff, at);
  return a === 'available' || a === 'busy';
}

export interface Skip {
  staff: string;
  makeUps: number;
  reason: Availability | 'debt';
  basis: Basis;
}

export interface NextUp {
  staff: string | null;
  /** The next consultant comes from the make-up list, not the queue. */
  viaMakeUp: boolean;
  /** Index in the roster after the taker, when the take advances the queue. */
  pointerAfter: number;
  skipped: Skip[];
  basis: Basis;
}

function ownCustomerBusy(state: OfficeState, staff: string, at: number): boolean {
  const last = state.lastReception.get(staff);
  return last !== undefined && last.ownCustomer && last.at <= at;
}

/** What passing a consultant over costs the queue, by the reason they were not there. */
function skipOf(state: OfficeState, staff: string, reason: Availability, at: number, policy: Policy): Skip {
  const p = policy.parameters;
  switch (reason) {
    case 'away-business':
      return { staff, reason, makeUps: p.skipped_turn_make_up.value.business, basis: basis(p.skipped_turn_make_up.clause) };
    case 'away-personal':
      return { staff, reason, makeUps: p.skipped_turn_make_up.value.personal, basis: basis(p.skipped_turn_make_up.clause) };
    case 'busy': {
      if (!ownCustomerBusy(state, staff, at)) return { staff, reason, makeUps: 0, basis: basis(policy.parameters.own_customer_at_own_turn.clause) };
      const rule = p.own_customer_at_own_turn;
      const owed = rule.value === 'make_up' ? 1 : 0;
      return { staff, reason, makeUps: owed, basis: basis(rule.clause) };
    }
    case 'available':
    case 'present':
    case 'sick':
    case 'off':
    case 'not-on-duty':
    case 'left':
      return { staff, reason, makeUps: 0, basis: basis(p.skipped_turn_make_up.clause) };
    default: {
      const _exhaustive: never = reason;
      return _exhaustive;
    }
  }
}

function earliestMakeUp(state: OfficeState, at: number): { staff: string; makeUp: MakeUp } | null {
  let best: { staff: string; makeUp: MakeUp } | null = null;
  for (const [staff, list] of state.rotation.makeUps) {
    const first = list[0];
    if (!first || !isOnSite(state, staff, at)) continue;
    if (!best || first.at < best.makeUp.at) best = { staff, makeUp: first };
  }
  return best;
}

/**
 * Who is up for the next new customer at `at`: a present consultant owed a
 * make-up turn first (补接优先), else the queue from the pointer, passing over
 * whoever is not there.
 */
const recent = new WeakMap<OfficeState, { applied: number; at: number; policy: Policy; up: NextUp }>();

export function nextUp(state: OfficeState, at: number, policy: Policy, exclude?: ReadonlySet<string>): NextUp {
  // Judging and then taking the turn ask the same question of the same state: answer it once.
  if (exclude) return computeNextUp(state, at, policy, exclude);
  const hit = recent.get(state);
  if (hit && hit.applied === state.applied && hit.at === at && hit.policy === policy) return hit.up;
  const up = computeNextUp(state, at, policy);
  recent.set(state, { applied: state.applied, at, policy, up });
  return up;
}

function computeNextUp(state: OfficeState, at: number, policy: Policy, exclude?: ReadonlySet<string>): NextUp {
  const rot = state.rotation;
  const rotationClause = rotationClauseOf(policy);
  const made = earliestMakeUp(state, at);
  if (made && !exclude?.has(made.staff)) {
    return { staff: made.staff, viaMakeUp: true, pointerAfter: rot.pointer, skipped: [], basis: made.makeUp.basis };
  }
  const n = rot.order.length;
  const skipped: Skip[] = [];
  for (let i = 0; i < n; i++) {
    const index = (rot.pointer + i) % n;
    const staff = rot.order[index]!;
    if (exclude?.has(staff)) continue;
    const availability = availabilityOf(state, staff, at);
    if (availability !== 'available') {
      skipped.push(skipOf(state, staff, availability, at, policy));
      continue;
    }
    if ((rot.debts.get(staff) ?? 0) > 0) {
      skipped.push({ staff, reason: 'debt', makeUps: 0, basis: basis(rotationClause) });
      continue;
    }
    return { staff, viaMakeUp: false, pointerAfter: (index + 1) % n, skipped, basis: basis(rotationClause, rot.rosterEventId ?? undefined) };
  }
  return { staff: null, viaMakeUp: false, pointerAfter: rot.pointer, skipped: [], basis: basis(rotationClause) };
}

/**
 * The last of the day's rotation (轮排末位): walking the queue from the next
 * up, the present consultant furthest from a new customer. Helping an absent
 * owner falls to them so nobody's turn is taken.
 */
export function lastInRotation(state: OfficeState, at: number, exclude?: ReadonlySet<string>): string | null {
  const rot = state.rotation;
  const n = rot.order.length;
  for (let i = n - 1; i >= 0; i--) {
    const staff = rot.order[(rot.pointer + i) % n]!;
    if (!exclude?.has(staff) && isOnSite(state, staff, at)) return staff;
  }
  return null;
}

/** The first present consultant of a team, in queue order from the pointer. */
export function firstOfTeam(state: OfficeState, team: string | undefined, at: number, exclude?: ReadonlySet<string>): string | null {
  const rot = state.rotation;
  const n = rot.order.length;
  for (let i = 0; i < n; i++) {
    const staff = rot.order[(rot.pointer + i) % n]!;
    if (exclude?.has(staff)) continue;
    if (team !== undefined && state.staff.get(staff)?.team !== team) continue;
    if (isOnSite(state, staff, at)) return staff;
  }
  return null;
}

export function rotationClauseOf(policy: Policy): string {
  return policy.clauses.rotation;
}

/** Where the queue starts on a new roster: carried on from the last taker, or the head. */
export function pointerForNewRoster(state: OfficeState, order: readonly string[], policy: Policy): number {
  const rot = state.rotation;
  if (!policy.parameters.daily_cutoff_and_deadlines.value.rotation_carry_over || rot.lastTaker === null) return 0;
  const previous = rot.lastTakerOrder;
  const at = previous.indexOf(rot.lastTaker);
  if (at < 0) return 0;
  for (let i = 1; i <= previous.length; i++) {
    const candidate = previous[(at + i) % previous.length]!;
    const index = order.indexOf(candidate);
    if (index >= 0) return index;
  }
  return 0;
}

export interface TurnTaken {
  staff: string;
  consumedMakeUp: boolean;
  pointerAfter: number | null;
  debt: boolean;
  skipped: Skip[];
}

/**
 * How a reception that counts as a turn moves the queue: a make-up is used
 * first; otherwise the queue carries on after whoever took the turn, and
 * those it passed over are skipped for the reason they were away.
 */
export function takeTurn(state: OfficeState, receiver: string, at: number, policy: Policy, mode: 'rotation' | 'designated' = 'rotation'): TurnTaken {
  const up = nextUp(state, at, policy);
  const owed = (state.rotation.makeUps.get(receiver)?.length ?? 0) > 0;
  if (up.staff === receiver) {
    if (up.viaMakeUp) return { staff: receiver, consumedMakeUp: true, pointerAfter: null, debt: false, skipped: [] };
    return { staff: receiver, consumedMakeUp: false, pointerAfter: up.pointerAfter, debt: false, skipped: up.skipped };
  }
  if (owed) return { staff: receiver, consumedMakeUp: true, pointerAfter: null, debt: false, skipped: [] };
  const rot = state.rotation;
  const index = rot.order.indexOf(receiver);
  if (index < 0) return { staff: receiver, consumedMakeUp: false, pointerAfter: null, debt: false, skipped: [] };
  // A customer who came for this consultant (named, assigned, referred) counts as their turn: they pass their next place in the queue (consultant-rotation-detail.5a).
  if (mode === 'designated') return { staff: receiver, consumedMakeUp: false, pointerAfter: null, debt: true, skipped: [] };
  // Out of order: the front desk chose; the queue follows the taker. Those passed over who were away are skipped by their reason.
  const n = rot.order.length;
  const skipped: Skip[] = [];
  for (let i = rot.pointer; i % n !== index && skipped.length < n; i++) {
    const staff = rot.order[i % n]!;
    const availability = availabilityOf(state, staff, at);
    if (availability !== 'available') skipped.push(skipOf(state, staff, availability, at, policy));
  }
  return { staff: receiver, consumedMakeUp: false, pointerAfter: (index + 1) % n, debt: false, skipped };
}
