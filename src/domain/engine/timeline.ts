// A timeline: events applied in order through decide → evolve, with the
// rejections kept beside the state (a refused event changes nothing) and
// corrections honoured by replaying the corrected registration in its place.
import { type EventOf, type OfficeEvent, officeEvent } from '../events.ts';
import type { Policy } from '../policy/schema.ts';
import { Rejected, reject } from '../rejection.ts';
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
    const keep = this.options.keepHistory ?? 'events';
    if (keep === true) this.entries.push({ event, outcome });
    else if (keep === 'events') this.entries.push({ event, outcome: outcome.accepted ? ACCEPTED : outcome });
    return outcome;
  }

  private corrected(event: OfficeEvent): OfficeEvent {
    if (this.corrections.size === 0) return event;
    const set = this.corrections.get(event.id);
    return set ? (officeEvent.parse(mergeCorrection(event, set)) as OfficeEvent) : event;
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
