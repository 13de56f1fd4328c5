// What a process keeps of a project (the engine's state, the projection
// snapshot, small indexes into the log) and how one event moves it on.
import type { Outcome, Timeline } from '../domain/engine/index.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { normalizePhone } from '../domain/phone.ts';
import { localDay } from '../domain/time.ts';
import type { Project } from '../store/index.js';
import { customerRefs } from './codec.ts';
import type { IdFilter, IdFilterData } from './id-filter.ts';
import type { Projector } from './projector.ts';
import type { RecordResult, TurnsByDay } from './views.ts';

export type { TurnsByDay } from './views.ts';

/** A write this process made or learnt of: what a repeat of its id is compared with. */
export interface Recorded {
  seq: number;
  status: 'accepted' | 'rejected';
  code: string | null;
  event: OfficeEvent;
  /** The client gave no `at`: a repeat is compared without it. */
  atDefaulted?: boolean;
}

export const RECENT_ANSWERS = 10_000;

/**
 * What a process keeps of a project: the engine's state and the projection
 * snapshot, not the events — those stay in the store and are read back when
 * a query needs them (a customer's timeline, an event, a what-if, a
 * correction). Small indexes point into the log.
 */
export interface ProjectCache {
  project: Project;
  timeline: Timeline;
  projector: Projector;
  headSeq: number;
  /** The hash of the event at headSeq (lets PostgreSQL append in one round trip). */
  headHash: string;
  /** The last RECENT_ANSWERS writes and their answers, for a client's retry of one (an idempotent repeat). */
  recent: Map<string, { record: Recorded; result: RecordResult }>;
  /** Every event id of the log, as a Bloom filter: a write whose id it has certainly not seen skips the store lookup. */
  ids: IdFilter;
  /** Report registrations by id, in log order (report lists, an agent's own reports). */
  reports: Map<string, ReportEntry>;
  /** The seqs of the events naming each customer (cards, exports). */
  phoneSeqs: Map<string, number[]>;
  /** The seq of the last checkpoint saved or restored (0: none). */
  checkpointSeq: number;
  /** The project's erasures when the cache was built (count and latest time): a cache from before an erasure must not be saved. */
  erasures: string;
  /** Rotation turns taken per local day (the boards' 已接 today; the engine's `turns` are since the project began). */
  turnsByDay: TurnsByDay;
}

export const TURN_DAYS = 7;

export interface ReportEntry {
  seq: number;
  agent: string;
  /** The phone as filed: full or masked. */
  phone: string;
}

/** What a checkpoint holds beside the engine and the projector (see CacheCheckpoint). Changing its shape: bump CHECKPOINT_FORMAT (src/app/checkpoint.ts), so older checkpoints are passed over. */
export interface CheckpointExtra {
  ids: IdFilterData;
  reports: [string, ReportEntry][];
  /** Absent in checkpoints written before it: such a checkpoint is passed over (the log is replayed). */
  turnsByDay?: [number, [string, number][]][];
}

/** Notes an event's id, and indexes it under every customer it names (cards, exports) and, for a report, by its id. */
export function rememberEvent(cache: ProjectCache, seq: number, event: OfficeEvent): void {
  cache.ids.add(event.id);
  if (event.type === 'report') cache.reports.set(event.id, { seq, agent: event.staff, phone: event.customer.phone });
  for (const ref of customerRefs(event)) {
    const phone = normalizePhone(ref.phone);
    if (!phone) continue;
    const list = cache.phoneSeqs.get(phone);
    if (!list) cache.phoneSeqs.set(phone, [seq]);
    else if (list.at(-1) !== seq) list.push(seq);
  }
}

/**
 * Applies an event to the cache's timeline and counts the rotation turns it
 * took by their local day. A correction replays the engine, and its outcome
 * carries no changes: the turns it moved (the engine's totals before and after)
 * are put on the corrected registration's day.
 */
export function applyCounted(cache: ProjectCache, event: OfficeEvent): Outcome {
  const before = event.type === 'correction' ? new Map(cache.timeline.state.rotation.turns) : undefined;
  const outcome = cache.timeline.apply(event);
  if (!outcome.accepted) return outcome;
  const tz = cache.timeline.state.timezone;
  const add = (day: number, staff: string, n: number) => {
    let m = cache.turnsByDay.get(day);
    if (!m) {
      const newest = Math.max(day, ...cache.turnsByDay.keys());
      if (day <= newest - TURN_DAYS) return; // older than the days kept
      m = new Map();
      cache.turnsByDay.set(day, m);
      for (const d of cache.turnsByDay.keys()) if (d <= newest - TURN_DAYS) cache.turnsByDay.delete(d);
    }
    const v = Math.max(0, (m.get(staff) ?? 0) + n);
    if (v) m.set(staff, v);
    else m.delete(staff);
  };
  if (before && event.type === 'correction') {
    const after = cache.timeline.state.rotation.turns;
    const original = cache.timeline.entries.find((e) => e.event.id === event.of)?.event;
    const when = typeof event.set.at === 'number' ? event.set.at : original?.at ?? event.at;
    for (const staff of new Set([...before.keys(), ...after.keys()])) {
      const d = (after.get(staff) ?? 0) - (before.get(staff) ?? 0);
      if (d) add(localDay(when, tz), staff, d);
    }
    return outcome;
  }
  for (const ch of outcome.changes) if (ch.kind === 'turn') add(localDay(ch.at, tz), ch.turn.staff, 1);
  return outcome;
}
