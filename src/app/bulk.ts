// The bulk write path of the app layer (guishu import-timeline, import-xlsx,
// restore). It is `recordEvent` for many events at once: the same engine
// (`Timeline.apply`), the same projection writer (`Projector.step` →
// `writeRows`) and the same store `append`, but one transaction per batch
// instead of one per event. Each batch is all-or-nothing: its events and the
// projection rows they change commit together or not at all.
//
// The writer keeps its own timeline, replayed from the log when opened. A
// running server's caches catch up by themselves (they compare the store's
// head on every request), so nothing has to be told.
import { Timeline, type Outcome } from '../domain/engine/index.ts';
import { officeEvent, type EventOf, type OfficeEvent } from '../domain/events.ts';
import type { Policy } from '../domain/policy/schema.ts';
import { ConcurrencyError, type EventStore, type NewEvent, type Project, type StoredEvent } from '../store/index.js';
import { fromStored, toNewEvent } from './codec.ts';
import { InvalidInputError } from './errors.ts';
import { checkPolicy as checkPolicyParts, policyOfEvent, policyOptions } from './policy.ts';
import { Projector, writeRows, type RowChange, type Table } from './projector.ts';

/** The store row to reproduce exactly (restore): the log's own bytes, not a re-encoding. */
export interface ExactRow {
  payload: unknown;
  /** The personal data (without its salt), or null. */
  personal: unknown;
  personalSalt?: string;
  /** The digest of personal data that was erased before the backup. */
  erasedPersonalDigest?: string;
  recordedAt: string;
  recordedBy: string | null;
  /** The recorded status: used when the engine cannot re-decide (the personal data was erased, no overlay). */
  status: 'accepted' | 'rejected';
  rejectionCode: string | null;
}

export interface BulkItem {
  event: OfficeEvent;
  exact?: ExactRow;
}

export interface BatchOptions {
  recordedBy?: string | null;
  /** Called inside the transaction while projection rows are written (done, total): the batch is not committed yet. */
  onWrite?: (done: number, total: number) => void;
  /** Called inside the transaction with the stored rows; a throw rolls the batch back. */
  check?: (stored: readonly StoredEvent[]) => void;
}

export interface BatchResult {
  accepted: number;
  rejected: number;
  headSeq: number;
  /** Rejection codes of this batch → count. */
  rejections: Record<string, number>;
}

export class BulkError extends Error {
  constructor(message: string, readonly eventId?: string) {
    super(message);
    this.name = 'BulkError';
  }
}

/** Write order of projection tables (parents first), as projector.ts. */
const ORDER: Table[] = ['staff', 'policies', 'customers', 'rotation', 'alerts'];
const PROJECTION_CHUNK = 500;

/** A `policy` event's policy (the one wiring: src/domain/policy/wiring.ts). */
export const resolveFromEvent = policyOfEvent;

/** Validates an event from outside as `recordEvent` does (schema, then the policy's preset and parameters). */
export function validateEvent(input: unknown): OfficeEvent {
  const parsed = officeEvent.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BulkError(`${issue.path.join('.') || '(event)'}: ${issue.message}`);
  }
  const event = parsed.data as OfficeEvent;
  if (event.type === 'policy') checkPolicy(event);
  return event;
}

/** The policy event's preset and parameters checked as the server checks them (src/app/policy.ts), failing as a BulkError. */
export function checkPolicy(event: EventOf<'policy'>): Policy {
  try {
    return checkPolicyParts(event.preset, event.set);
  } catch (e) {
    if (e instanceof InvalidInputError) throw new BulkError(`${e.field}: ${e.message}`, event.id);
    throw e;
  }
}

/** A timeline as the app builds it for a project whose genesis is `genesis`. */
export function newTimeline(timezone: string, genesis: EventOf<'policy'>): Timeline {
  return new Timeline({ timezone, ...policyOptions(genesis.preset, genesis.set), keepHistory: true });
}

function toRow(item: BulkItem, outcome: Outcome, recordedBy: string | null): NewEvent {
  const status = outcome.accepted ? 'accepted' : 'rejected';
  const code = outcome.accepted ? undefined : outcome.rejection.code;
  const x = item.exact;
  if (!x) return toNewEvent(item.event, { status, code }, recordedBy);
  return {
    eventId: item.event.id,
    type: item.event.type,
    at: item.event.at,
    recordedBy: x.recordedBy,
    recordedAt: x.recordedAt,
    payload: x.payload,
    ...(x.personal === null || x.personal === undefined ? {} : { personal: x.personal, personalSalt: x.personalSalt }),
    ...(x.erasedPersonalDigest ? { erasedPersonalDigest: x.erasedPersonalDigest } : {}),
    status,
    rejectionCode: outcome.accepted ? null : (code ?? null),
  };
}

/** Merges per-event row changes into the batch's final ones, ordered for chunked writing (deletes children first, then upserts parents first). */
function mergeChanges(lists: readonly RowChange[][]): RowChange[] {
  const last = new Map<string, RowChange>();
  for (const list of lists) for (const c of list) last.set(`${c.table}\u0000${c.key}`, c);
  const all = [...last.values()];
  const out: RowChange[] = [];
  for (const t of [...ORDER].reverse()) for (const c of all) if (c.table === t && c.row === null) out.push(c);
  for (const t of ORDER) for (const c of all) if (c.table === t && c.row !== null) out.push(c);
  return out;
}

/** The erasure overlay (table `erasures`, see GuishuApp.eraseCustomer): seq → the personal part a replay uses for an erased event. */
export function erasureOverlay(store: EventStore, projectId: string): Promise<Map<number, unknown>> {
  return store.erasureOverlay(projectId);
}

export class BulkWriter {
  private broken = false;

  private constructor(
    readonly store: EventStore,
    readonly project: Project,
    private timeline: Timeline,
    private projector: Projector,
    private head: number,
    private readonly ids: Set<string>,
  ) {}

  /** Opens an existing project: replays its log through the engine and the projector (as the app's cache does). */
  static async open(store: EventStore, projectId: string): Promise<BulkWriter> {
    const project = await store.getProject(projectId);
    if (!project) throw new BulkError(`no project ${projectId}`);
    let writer: BulkWriter | undefined;
    const overlay = await erasureOverlay(store, projectId);
    for await (const row of store.readEvents(projectId, { batchSize: 2000 })) {
      const event = fromStored(row, overlay.get(row.seq));
      if (!writer) {
        if (event.type !== 'policy') throw new BulkError(`project ${projectId}: the first event is not a policy`);
        const projector = new Projector();
        projector.genesis(event, row.seq);
        writer = new BulkWriter(store, project, newTimeline(project.timezone, event), projector, row.seq, new Set([event.id]));
        continue;
      }
      const outcome = writer.timeline.apply(event);
      writer.projector.step(writer.timeline.state, event, outcome, writer.timeline.rejections, row.seq);
      writer.ids.add(event.id);
      writer.head = row.seq;
    }
    if (!writer) throw new BulkError(`project ${projectId} has no events (its creation did not finish)`);
    return writer;
  }

  /**
   * Creates a project whose genesis is the given policy event (its id and time
   * kept, unlike `GuishuApp.createProject` which names it `policy-1` at the
   * server clock): what an imported or restored log begins with.
   */
  static async create(store: EventStore, input: { id: string; name: string; timezone: string }, genesis: BulkItem, opts: BatchOptions = {}): Promise<BulkWriter> {
    const event = genesis.event;
    if (event.type !== 'policy') throw new BulkError('the first event must be a policy', event.id);
    checkPolicy(event);
    const project = await store.createProject(input.id, input.name, input.timezone);
    const projector = new Projector();
    const row = toRow(genesis, { accepted: true, changes: [] }, opts.recordedBy ?? null);
    const stored = await store.append(input.id, 0, [row], async (tx, s) => {
      opts.check?.(s);
      await writeRows(tx, input.id, projector.genesis(event, s[0]!.seq));
    });
    return new BulkWriter(store, { ...project, headSeq: 1, headHash: stored[0]!.hash }, newTimeline(input.timezone, event), projector, 1, new Set([event.id]));
  }

  get headSeq(): number {
    return this.head;
  }

  get state(): Timeline['state'] {
    return this.timeline.state;
  }

  has(eventId: string): boolean {
    return this.ids.has(eventId);
  }

  /** Every projection row as a replay of the log gives them (rebuild checks). */
  rows(): RowChange[] {
    return this.projector.rows();
  }

  /**
   * Appends the items in one transaction, in order: each through the engine
   * (an event the rules refuse is recorded as rejected, as `recordEvent`
   * does), their projection rows merged and written in the same transaction.
   * On a lost race (another writer moved the head) the writer replays the log
   * and tries again; any other failure leaves nothing of the batch written.
   */
  async append(items: readonly BulkItem[], opts: BatchOptions = {}): Promise<BatchResult> {
    if (items.length === 0) return { accepted: 0, rejected: 0, headSeq: this.head, rejections: {} };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tryAppend(items, opts);
      } catch (e) {
        if (!(e instanceof ConcurrencyError) || attempt >= 5) throw e;
        const fresh = await BulkWriter.open(this.store, this.project.projectId);
        this.timeline = fresh.timeline;
        this.projector = fresh.projector;
        this.head = fresh.head;
        this.ids.clear();
        for (const id of fresh.ids) this.ids.add(id);
        this.broken = false;
      }
    }
  }

  private async tryAppend(items: readonly BulkItem[], opts: BatchOptions): Promise<BatchResult> {
    if (this.broken) throw new BulkError('an earlier batch failed: reopen the writer');
    const projectId = this.project.projectId;
    const recordedBy = opts.recordedBy ?? null;
    const seen = new Set<string>();
    for (const item of items) {
      if (this.ids.has(item.event.id) || seen.has(item.event.id)) throw new BulkError(`event id ${item.event.id} is already recorded`, item.event.id);
      seen.add(item.event.id);
    }
    // From here the timeline holds the batch: any failure poisons the writer.
    this.broken = true;
    const rows: NewEvent[] = [];
    const changes: RowChange[][] = [];
    const rejections: Record<string, number> = {};
    let accepted = 0;
    items.forEach((item, i) => {
      const event = item.event;
      const outcome = this.timeline.apply(event);
      changes.push(this.projector.step(this.timeline.state, event, outcome, this.timeline.rejections, this.head + i + 1));
      const row = toRow(item, outcome, recordedBy);
      const x = item.exact;
      if (x && (x.personal === null || x.personal === undefined) && x.erasedPersonalDigest) {
        // The customer's data was erased before the backup: the engine replays
        // the erasure overlay, which need not decide as the original did, so
        // the recorded decision stands in the log (projections follow the
        // engine, as GuishuApp's own replay after an erasure does).
        row.status = x.status;
        row.rejectionCode = x.rejectionCode;
      }
      rows.push(row);
      if (row.status === 'accepted') accepted++;
      else rejections[row.rejectionCode ?? 'rejected'] = (rejections[row.rejectionCode ?? 'rejected'] ?? 0) + 1;
    });
    const merged = mergeChanges(changes);
    const run = () =>
      this.store.append(projectId, this.head, rows, async (tx, stored) => {
        opts.check?.(stored);
        opts.onWrite?.(0, merged.length);
        for (let i = 0; i < merged.length; i += PROJECTION_CHUNK) {
          await writeRows(tx, projectId, merged.slice(i, i + PROJECTION_CHUNK));
          opts.onWrite?.(Math.min(i + PROJECTION_CHUNK, merged.length), merged.length);
        }
      });
    const stored = await this.serialised(run);
    for (const item of items) this.ids.add(item.event.id);
    this.head = stored[stored.length - 1]!.seq;
    this.broken = false;
    return { accepted, rejected: items.length - accepted, headSeq: this.head, rejections };
  }

  /** The same per-project lock as `GuishuApp` writers take after a lost race (PostgreSQL), so a server and an import queue instead of racing. */
  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    return this.store.serialised(this.project.projectId, fn);
  }
}
