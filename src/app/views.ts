// What the app answers, as JSON: results of writes, decisions, deals, events,
// the rotation board. Pure functions of the engine's state and stored rows.
import { isLate } from '../domain/time-of-record.ts';
import { availabilityOf } from '../domain/engine/rotation.ts';
import { rotationView, dealView, type Outcome, type Timeline } from '../domain/engine/index.ts';
import type { Change } from '../domain/engine/changes.ts';
import type { Rejected } from '../domain/rejection.ts';
import { localDay, formatLocalTime } from '../domain/time.ts';
import type { OfficeEvent } from '../domain/events.ts';
import type { DealSummary, RecordResult, RejectionInfo, Rotation, StoredEventJson } from '../shared/api-answers.ts';
import type { StoredEvent } from '../store/index.js';
import { fromStored } from './codec.ts';

// The answers' types are shared with the web app (src/shared/api-answers.ts).
export type { RecordResult, RejectionInfo } from '../shared/api-answers.ts';

/** local day → staff → turns taken that day; the last TURN_DAYS days kept. */
export type TurnsByDay = Map<number, Map<string, number>>;

/**
 * ISO UTC. A time beyond what a Date holds (a protection end computed from an
 * extreme time stored before times were range-checked) is shown at the limit
 * rather than failing the whole answer with a RangeError.
 */
export const toIso = (ms: number): string => new Date(Number.isNaN(ms) ? 8.64e15 : Math.max(-8.64e15, Math.min(8.64e15, ms))).toISOString();

export function rejectionJson(r: Rejected): RejectionInfo {
  return { code: r.code, field: r.field, message: r.messageEn, messageZh: r.messageZh, messageEn: r.messageEn };
}

export function resultOf(id: string, seq: number, outcome: Outcome): RecordResult {
  if (!outcome.accepted) return { id, seq, status: 'rejected', rejection: rejectionJson(outcome.rejection), decisions: [] };
  return { id, seq, status: 'accepted', decisions: outcome.changes.map(decisionJson) };
}

/** A change as JSON (Maps as objects), without bulky internals. */
export function decisionJson(ch: Change): Record<string, unknown> {
  if (ch.kind === 'policy') return { kind: 'policy', version: ch.policy.version, preset: ch.policy.preset, effectiveAt: Number.isFinite(ch.policy.effectiveAt) ? toIso(ch.policy.effectiveAt) : null };
  return plainObject(ch as unknown as Record<string, unknown>);
}

/** What JSON.stringify then JSON.parse would give (Maps as objects, non-finite numbers as null), without the text in between: every write's answer goes through it. */
function plainValue(v: unknown): unknown {
  if (v === null) return null;
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'string':
    case 'boolean':
      return v;
    case 'object': {
      if (v instanceof Map) return plainObject(Object.fromEntries(v) as Record<string, unknown>);
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return plainValue((toJSON as () => unknown).call(v));
      if (Array.isArray(v)) return v.map((x) => plainValue(x) ?? null);
      return plainObject(v as Record<string, unknown>);
    }
    default:
      return undefined; // undefined, functions and symbols are left out, as JSON does
  }
}

function plainObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const p = plainValue(o[k]);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

/**
 * The rotation at `at`: `turns` counts every turn since the project began (the
 * fairness ledger); `turnsToday` only those taken in the project's local day of
 * `at` (the boards' 已接 and 今日轮次).
 */
export function rotationOf(state: Timeline['state'], at: number, turnsByDay?: TurnsByDay): Rotation {
  const r = rotationView(state, at);
  const presence: Record<string, string> = {};
  for (const staff of r.order) presence[staff] = availabilityOf(state, staff, at);
  const today = turnsByDay?.get(localDay(at, state.timezone));
  return { next: r.next ?? 'none', order: r.order, presence, makeUps: r.makeUps, turns: r.turns, turnsToday: today ? Object.fromEntries(today) : {}, at: toIso(at) };
}

export function dealJson(state: Timeline['state'], id: string): DealSummary | undefined {
  const d = dealView(state, id);
  if (!d) return undefined;
  return {
    id,
    customers: d.deal.customers,
    closedBy: d.deal.closedBy,
    stage: d.deal.stage,
    unit: d.deal.unit ?? null,
    at: toIso(d.deal.at),
    ownerAtDeal: d.deal.ownerAtDeal,
    performance: d.performance,
    commission: d.commission,
    basis: d.split.performanceBasis.clause,
    commissionBasis: d.split.commissionBasis.clause,
    basisEvents: { performance: [...d.split.performanceBasis.events], commission: [...d.split.commissionBasis.events] },
  };
}

/** Registered after the fact (补登): a manager's reason recorded with it, or recorded later than the skew allows after its `at`. */
export function lateness(row: StoredEvent): { late: boolean; lateReason: string | null } {
  const reason = (row.payload as { lateReason?: unknown }).lateReason;
  const lateReason = typeof reason === 'string' ? reason : null;
  return { late: lateReason !== null || isLate(row.atMs, Date.parse(row.recordedAt)), lateReason };
}

export function eventJson(row: StoredEvent, timezone: string): StoredEventJson<OfficeEvent> {
  return {
    seq: row.seq,
    id: row.eventId,
    type: row.type,
    at: row.at,
    local: formatLocalTime(row.atMs, timezone),
    recordedAt: row.recordedAt,
    recordedLocal: formatLocalTime(Date.parse(row.recordedAt), timezone),
    recordedBy: row.recordedBy,
    ...lateness(row),
    status: row.status,
    rejectionCode: row.rejectionCode,
    event: fromStored(row),
    personalErased: row.personalErased,
    hash: row.hash,
  };
}
