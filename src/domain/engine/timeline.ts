// A timeline: events applied in order through decide → evolve, with the
// rejections kept beside the state (a refused event changes nothing) and
// corrections honoured by replaying the corrected registration in its place.
import { type EventOf, type OfficeEvent, officeEvent } from '../events.ts';
import type { Policy } from '../policy/schema.ts';
import { Rejected, type RejectionCode, reject } from '../rejection.ts';
import type { Change } from './changes.ts';
import { type DecideContext, decide } from './decide.ts';
import { evolve } from './evolve.ts';
import { type OfficeState, createOfficeState } from './state.ts';

export type Outcome = { accepted: true; changes: Change[] } | { accepted: false; rejection: Rejected };

export interface TimelineOptions extends DecideContext {
  timezone: string;
  policy: Policy;
  /**
   * What the timeline keeps of each event after applying it: `true` the event
   * and its changes (explain), `'events'` the event and whether it was
   * accepted — enough to replay corrections and what-ifs, at a fraction of
   * the memory (the server; the default) — and false nothing (a benchmark replay). `apply`
   * returns the changes whatever is kept.
   */
  keepHistory?: boolean | 'events';
  /** Refuse a repeated event id (default). A replay of the store's own log, where ids are unique by construction, may skip it. */
  checkIds?: boolean;
}

/** A refusal as plain data: the fields a `Rejected` is built from. */
export interface RejectionData {
  code: RejectionCode;
  field: string;
  messageZh: string;
  messageEn: string;
}

/**
 * What a timeline needs to go on as if it had applied every event so far:
 * plain, structured-clone-able data (maps, arrays, plain objects, numbers
 * including -Infinity; no class instances, no functions), so `v8.serialize`
 * keeps it whole — shared references inside the state included.
 *
 * Not in it: the history (`entries`). A restored timeline has no history
 * entries, so it can neither explain nor replay a correction of an event
 * before the checkpoint (see `Timeline.restore`). `ids` is there only when
 * the timeline refused repeated ids (`checkIds`, the default); the server's
 * replay does not (`checkIds: false`), so its checkpoints carry none.
 */
export interface TimelineCheckpoint {
  state: OfficeState;
  rejections: [string, RejectionData][];
  corrections: [string, Record<string, unknown>][];
  /** The event ids seen, when the timeline checked ids; absent otherwise. */
  ids?: string[];
}

export function rejectionData(r: Rejected): RejectionData {
  return { code: r.code, field: r.field, messageZh: r.messageZh, messageEn: r.messageEn };
}

export function rejectedFrom(d: RejectionData): Rejected {
  return new Rejected(d.code, d.field, d.messageZh, d.messageEn);
}

export interface Entry {
  event: OfficeEvent;
  outcome: Outcome;
}

/** The outcome an `'events'` history keeps of every accepted event (one shared object). */
const ACCEPTED: Outcome = Object.freeze({ accepted: true, changes: Object.freeze([]) as unknown as Change[] }) as Outcome;

export class Timeline {
  state: OfficeState;
  readonly rejections = new Map<string, Rejected>();
  readonly entries: Entry[] = [];
  private readonly ids = new Set<string>();
  private readonly corrections = new Map<string, Record<string, unknown>>();
  /** Set by `forgetHistory`: from then on nothing is kept, whatever `keepHistory` says. */
  private forgotten = false;

  constructor(private readonly options: TimelineOptions) {
    this.state = createOfficeState(options.timezone, options.policy);
  }

  apply(event: OfficeEvent): Outcome {
    const checkIds = this.options.checkIds !== false;
    // One hash-set operation per event: adding a new id grows the set; a repeated id does not.
    const fresh = checkIds && this.ids.size !== this.ids.add(event.id).size;
    let outcome: Outcome;
    try {
      if (checkIds && !fresh) reject('duplicate-id', 'id', `事件编号重复：${event.id}`, `duplicate event id: ${event.id}`);
      if (event.type === 'correction') {
        outcome = this.correct(event);
      } else {
        const changes = decide(this.state, this.corrections.size === 0 ? event : this.corrected(event), this.options);
        evolve(this.state, changes);
        outcome = { accepted: true, changes };
      }
    } catch (e) {
      if (!(e instanceof Rejected)) {
        // As if never applied: the id is not taken.
        if (fresh) this.ids.delete(event.id);
        throw e;
      }
      outcome = { accepted: false, rejection: e };
      this.rejections.set(event.id, e);
    }
    // A correction replays the timeline, which starts its ids afresh.
    if (checkIds && event.type === 'correction') this.ids.add(event.id);
    const keep = this.forgotten ? false : (this.options.keepHistory ?? 'events');
    if (keep === true) this.entries.push({ event, outcome });
    else if (keep === 'events') this.entries.push({ event, outcome: outcome.accepted ? ACCEPTED : outcome });
    return outcome;
  }

  /** Whether the timeline keeps its events (`keepHistory` true or 'events', and not forgotten): whether it can replay a correction of any event it applied. */
  get hasHistory(): boolean {
    return !this.forgotten && (this.options.keepHistory ?? 'events') !== false;
  }

  /**
   * Drops the history and keeps none from now on (as `keepHistory: false`):
   * a later correction is refused with `unknown-event`, as on a timeline that
   * never kept history. State, rejections, corrections and ids are untouched.
   */
  forgetHistory(): void {
    this.forgotten = true;
    this.entries.length = 0;
  }

  /**
   * The timeline's engine state as a checkpoint (see `TimelineCheckpoint`).
   * It shares the live state rather than copying it (a million-event state
   * takes seconds to copy): encode it (src/app/checkpoint.ts) before the
   * next `apply`, which would change it.
   */
  checkpoint(): TimelineCheckpoint {
    const cp: TimelineCheckpoint = {
      state: this.state,
      rejections: [...this.rejections].map(([id, r]): [string, RejectionData] => [id, rejectionData(r)]),
      corrections: [...this.corrections],
    };
    if (this.options.checkIds !== false) cp.ids = [...this.ids];
    return cp;
  }

  /**
   * A timeline that goes on from a checkpoint: every later `apply` gives the
   * outcome, state and rejections the checkpointed timeline would have.
   *
   * It has no history before the checkpoint, so it needs `keepHistory: false`
   * (throws otherwise): a correction then refers to an event it does not know
   * and is refused with `unknown-event` (after the `unknown-staff` and
   * `not-manager` checks), exactly as on any timeline that keeps no history —
   * a caller that honours corrections replays the whole log instead. With
   * `checkIds` (the default) the checkpoint must carry the ids seen (written
   * by a timeline that checked ids); throws otherwise.
   *
   * The checkpoint's state becomes the timeline's own (no copy): restore a
   * checkpoint once (decode it again for another timeline).
   */
  static restore(options: TimelineOptions, cp: TimelineCheckpoint): Timeline {
    if ((options.keepHistory ?? 'events') !== false) {
      throw new Error('Timeline.restore: a restored timeline has no history before the checkpoint; it needs keepHistory: false (replay the whole log to keep history)');
    }
    const checkIds = options.checkIds !== false;
    if (checkIds && cp.ids === undefined) throw new Error('Timeline.restore: checkIds needs the ids seen, and this checkpoint was written by a timeline that did not check ids');
    if (cp.state.timezone !== options.timezone) throw new Error(`Timeline.restore: the checkpoint's timezone ${cp.state.timezone} is not ${options.timezone}`);
    const timeline = new Timeline(options);
    timeline.state = cp.state;
    for (const [id, r] of cp.rejections) timeline.rejections.set(id, rejectedFrom(r));
    for (const [id, set] of cp.corrections) timeline.corrections.set(id, set);
    if (checkIds) for (const id of cp.ids!) timeline.ids.add(id);
    return timeline;
  }

  private corrected(event: OfficeEvent): OfficeEvent {
    if (this.corrections.size === 0) return event;
    const set = this.corrections.get(event.id);
    if (!set) return event;
    // The merge was checked when the correction was accepted; an event logged before a field's rule
    // was tightened (a time out of today's range) must still replay rather than stop the project.
    const merged = mergeCorrection(event, set);
    const parsed = officeEvent.safeParse(merged);
    return parsed.success ? (parsed.data as OfficeEvent) : merged;
  }

  /** A correction: the original stays on record; the timeline is replayed with the corrected registration in its place. */
  private correct(event: EventOf<'correction'>): Outcome {
    const by = this.state.staff.get(event.by);
    if (!by) reject('unknown-staff', 'by', `未登记的员工：${event.by}`, `unknown staff: ${event.by}`);
    if (by.role !== 'manager') reject('not-manager', 'by', '更正须由案场经理作出', 'a correction must be made by a manager');
    const original = this.entries.find((e) => e.event.id === event.of)?.event;
    if (!original) reject('unknown-event', 'of', `未找到被更正的登记：${event.of}`, `no such event: ${event.of}`);
    if ('type' in event.set || 'id' in event.set) reject('invalid-field', 'set', '不能更正事件类型或编号', 'a correction cannot change the event type or id');
    const merged = officeEvent.safeParse(mergeCorrection(original, { ...(this.corrections.get(event.of) ?? {}), ...event.set }));
    if (!merged.success) {
      const issue = merged.error.issues[0]!;
      reject('invalid-field', `set.${issue.path.join('.')}`, `更正内容无效：${issue.message}`, `invalid correction: ${issue.message}`);
    }
    this.corrections.set(event.of, mergeCorrection<Record<string, unknown>>(this.corrections.get(event.of) ?? {}, event.set));
    this.replay();
    return { accepted: true, changes: [] };
  }

  private replay(): void {
    const entries = this.entries.splice(0);
    this.state = createOfficeState(this.options.timezone, this.options.policy);
    this.rejections.clear();
    this.ids.clear();
    for (const { event, outcome } of entries) {
      if (event.type === 'correction') {
        // A correction keeps its own outcome: a refused one stays refused, an accepted one is already in `corrections`.
        this.ids.add(event.id);
        if (!outcome.accepted) this.rejections.set(event.id, outcome.rejection);
        this.entries.push({ event, outcome });
        continue;
      }
      this.apply(event);
    }
  }
}

/** A corrected field replaces the original's; a corrected customer keeps the parts not corrected (a new phone keeps the name). */
function mergeCorrection<T extends object>(original: T, set: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(original as Record<string, unknown>) };
  for (const [k, v] of Object.entries(set)) {
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? { ...prev, ...v } : v;
  }
  return out as T;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
