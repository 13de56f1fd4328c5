// The app layer: use cases over the event store and the pure engine. Every
// command is fetch → decide → append in one store transaction, with optimistic
// concurrency per project and a bounded retry; queries record nothing.
//
// Each process keeps a cache per project: the `Timeline` rebuilt from the log
// on first use, caught up from the store's head when another process appended,
// and the projection snapshot (see projector.ts). Writes to one project queue
// inside the process and commit in groups (see `drain`), so conflicts only
// arise across processes; a conflict discards the cache (the timeline already
// holds the speculative events), reloads and retries.
import { isLate } from '../domain/time-of-record.ts';
import { EventEmitter } from 'node:events';
import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { availabilityOf } from '../domain/engine/rotation.ts';
import { judgeArrival, ownerOf, rotationView, reportView, dealView, Timeline, policyAt, type Outcome, type OwnerView } from '../domain/engine/index.ts';
import type { Change } from '../domain/engine/changes.ts';
import { officeEvent, type EventOf, type OfficeEvent } from '../domain/events.ts';
import { formatMask, isPhoneText, maskMatches, normalizePhone, parseMask } from '../domain/phone.ts';
import { PolicyError, PRESETS, resolvePolicy } from '../domain/policy/index.ts';
import type { Policy } from '../domain/policy/schema.ts';
import type { Rejected } from '../domain/rejection.ts';
import { isValidTimezone, localDay, formatLocalTime, DEFAULT_TIMEZONE } from '../domain/time.ts';
import {
  canonicalJson, ConcurrencyError, DuplicateEventError, isDataError, isRetryable, isStorageFull, ProjectExistsError, ProjectNotFoundError, withRetry,
  type EventStore, type Project, type StoredEvent,
} from '../store/index.js';
import { clauseText, type ClauseText } from './clauses.ts';
import { customerRefs, fromStored, mapCustomerRefs, splitPersonal, toNewEvent } from './codec.ts';
import { AppError, BusyError, codeForField, ConflictError, InvalidInputError, NotFoundError, StorageFullError, UnstorableError } from './errors.ts';
import { KeyedMutex, Semaphore } from './mutex.ts';
import { sql } from 'kysely';
import { KEYS, Projector, rowWrites, writeRows, type RowChange, type Table } from './projector.ts';
import { CHECKPOINT_FORMAT, decodeCheckpoint, encodeCheckpoint, ENGINE_FINGERPRINT, type CacheCheckpoint } from './checkpoint.ts';
import { IdFilter, type IdFilterData } from './id-filter.ts';
import { LazyCustomers } from './lazy-customers.ts';

export interface ActingContext {
  /** The acting user (staff id or account); stored as the event's recorded_by. */
  recordedBy?: string | null;
}

export interface RejectionInfo {
  code: string;
  field: string;
  message: string;
  messageZh: string;
  messageEn: string;
}

export interface RecordResult {
  id: string;
  seq: number;
  status: 'accepted' | 'rejected';
  rejection?: RejectionInfo;
  decisions: Record<string, unknown>[];
  /** True when the id was already recorded with identical content (an idempotent repeat). */
  repeated?: boolean;
}

/** Emitted (as 'applied') for every event a process learns of, after its commit. */
export interface AppliedNotice {
  projectId: string;
  seq: number;
  event: OfficeEvent;
  outcome: Outcome;
  rows: readonly RowChange[];
  timezone: string;
}

interface Recorded {
  seq: number;
  status: 'accepted' | 'rejected';
  code: string | null;
  event: OfficeEvent;
  /** The client gave no `at`: a repeat is compared without it. */
  atDefaulted?: boolean;
}

/** A command waiting for its project's next group commit. */
interface PendingWrite {
  event: OfficeEvent;
  atDefaulted: boolean;
  recordedBy: string | null;
  resolve: (result: RecordResult) => void;
  reject: (error: unknown) => void;
}

const RECENT_ANSWERS = 10_000;

/** Commands decided together and committed in one transaction, at most. */
const MAX_BATCH = 256;

/** The engine threw (not a rule's refusal) on one command of a batch. */
class MemberFailed extends Error {
  constructor(readonly member: PendingWrite, override readonly cause: unknown) {
    super('a command of the batch failed');
  }
}

/** The projection rows of a batch, the last change of each row winning (one upsert per row). */
class RowMerger {
  private readonly byKey = new Map<string, RowChange>();
  add(changes: readonly RowChange[]): void {
    for (const c of changes) {
      const k = `${c.table}\u0001${c.key}`;
      this.byKey.delete(k);
      this.byKey.set(k, c);
    }
  }
  merged(): RowChange[] {
    return [...this.byKey.values()];
  }
}

/**
 * What a process keeps of a project: the engine's state and the projection
 * snapshot, not the events — those stay in the store and are read back when
 * a query needs them (a customer's timeline, an event, a what-if, a
 * correction). Small indexes point into the log.
 */
interface ProjectCache {
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

/** local day → staff → turns taken that day; the last TURN_DAYS days kept. */
type TurnsByDay = Map<number, Map<string, number>>;
const TURN_DAYS = 7;

interface ReportEntry {
  seq: number;
  agent: string;
  /** The phone as filed: full or masked. */
  phone: string;
}

/** What a checkpoint holds beside the engine and the projector (see CacheCheckpoint). Changing its shape: bump CHECKPOINT_FORMAT (src/app/checkpoint.ts), so older checkpoints are passed over. */
interface CheckpointExtra {
  ids: IdFilterData;
  reports: [string, ReportEntry][];
  /** Absent in checkpoints written before it: such a checkpoint is passed over (the log is replayed). */
  turnsByDay?: [number, [string, number][]][];
}

export interface CreateProjectInput {
  id?: string;
  name: string;
  timezone?: string;
  preset: string;
  set?: Record<string, unknown>;
}

export interface JudgeInput {
  phone: string;
  party?: string[];
  says?: Record<string, unknown>;
  at?: number;
  purpose?: 'tour' | 'deposit' | 'sign';
  recognizedBy?: string;
}

export interface AppOptions {
  store: EventStore;
  /** Server clock (tests). */
  now?: () => number;
  /** Tries per command, including the first. Default 8. */
  attempts?: number;
  /** Events appended between engine checkpoints (default CHECKPOINT_EVERY); 0: never read or write checkpoints. */
  checkpointEvery?: number;
}

/** Events appended between two checkpoints of a project: a restart replays at most about this many (~0.3 s here). */
export const CHECKPOINT_EVERY = 20_000;
/** A start that replayed at least this many events saves a checkpoint right away. */
const CHECKPOINT_AFTER_REPLAY = 5_000;

/** The name an erased customer is replayed under. */
export const ERASED_NAME = '（已删除）';
const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/**
 * ISO UTC. A time beyond what a Date holds (a protection end computed from an
 * extreme time stored before times were range-checked) is shown at the limit
 * rather than failing the whole answer with a RangeError.
 */
const toIso = (ms: number): string => new Date(Number.isNaN(ms) ? 8.64e15 : Math.max(-8.64e15, Math.min(8.64e15, ms))).toISOString();

export class GuishuApp extends EventEmitter {
  readonly store: EventStore;
  /** The app's clock (injectable in tests); adapters ask it rather than reading the wall clock. */
  readonly now: () => number;
  private readonly attempts: number;
  private readonly caches = new Map<string, ProjectCache>();
  private readonly mutex = new KeyedMutex();
  private readonly lockSlots = new Semaphore(3);
  private readonly queues = new Map<string, PendingWrite[]>();
  private readonly draining = new Set<string>();
  /** Counters for operators and tests: appends lost to another process, caches rebuilt from the log, events appended (and how many of them shared a commit). */
  readonly stats = { conflicts: 0, rebuilds: 0, restored: 0, appended: 0, grouped: 0, checkpoints: 0, checkpointFailures: 0, isolated: 0 };
  private readonly checkpointEvery: number;
  private readonly checkpointDue = new Set<string>();

  constructor(opts: AppOptions) {
    super();
    this.setMaxListeners(0);
    this.store = opts.store;
    this.now = opts.now ?? Date.now;
    this.attempts = opts.attempts ?? 8;
    this.checkpointEvery = opts.checkpointEvery ?? CHECKPOINT_EVERY;
  }

  // ------------------------------------------------------------------ projects

  async createProject(input: CreateProjectInput, ctx: ActingContext = {}): Promise<{ project: Project; policy: RecordResult }> {
    const id = input.id ?? `p-${randomUUID().slice(0, 8)}`;
    if (!PROJECT_ID.test(id)) throw new InvalidInputError('id', 'a project id is 1-64 letters, digits, "-" or "_"');
    const timezone = input.timezone ?? DEFAULT_TIMEZONE;
    if (!isValidTimezone(timezone)) throw new InvalidInputError('timezone', `unknown time zone ${timezone}`);
    checkPolicy(input.preset, input.set, 'preset', 'set');
    let project: Project;
    try {
      project = await this.store.createProject(id, input.name, timezone);
    } catch (e) {
      if (e instanceof ProjectExistsError) throw new ConflictError('project-exists', `project ${id} already exists`, 'id');
      throw e;
    }
    const at = this.now();
    const genesis: EventOf<'policy'> = { id: 'policy-1', at, type: 'policy', preset: input.preset, ...(input.set ? { set: input.set } : {}) };
    const projector = new Projector();
    const stored = await this.store.append(id, 0, [toNewEvent(genesis, { status: 'accepted' }, ctx.recordedBy ?? null)], (tx, s) =>
      writeRows(tx, id, projector.genesis(genesis, s[0]!.seq)),
    );
    this.caches.delete(id);
    return { project: { ...project, headSeq: stored[0]!.seq, headHash: stored[0]!.hash }, policy: { id: genesis.id, seq: stored[0]!.seq, status: 'accepted', decisions: [{ kind: 'policy', version: 1, preset: input.preset }] } };
  }

  /** The project's time zone (local times in requests are read in it). */
  async timezone(projectId: string): Promise<string> {
    // A project's zone never changes: asked on every request that carries a time, answered from memory once known.
    const known = this.caches.get(projectId)?.project.timezone;
    if (known !== undefined) return known;
    return this.read(projectId, (c) => c.project.timezone);
  }

  async listProjects(): Promise<Project[]> {
    return this.store.listProjects();
  }

  async getProject(projectId: string): Promise<Project & { policy: { preset: string; version: number }; staff: number; customers: number }> {
    return this.read(projectId, (c) => {
      const p = c.timeline.state.policies.at(-1)!;
      return { ...c.project, headSeq: c.headSeq, policy: { preset: p.preset, version: p.version }, staff: c.timeline.state.staff.size, customers: c.timeline.state.customers.size };
    });
  }

  // ------------------------------------------------------------------ the one write path

  /**
   * Records one office event (already validated against the domain schema).
   * A refused event is recorded too, with status 'rejected' and its code.
   */
  async recordEvent(projectId: string, input: OfficeEvent | (Omit<OfficeEvent, 'id' | 'at'> & { id?: string; at?: number }), ctx: ActingContext = {}): Promise<RecordResult> {
    const atDefaulted = input.at === undefined;
    const parsed = officeEvent.safeParse({ ...input, id: input.id ?? `ev-${randomUUID()}`, at: input.at ?? this.now() });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || '(event)';
      throw new InvalidInputError(field, issue.message, codeForField(field));
    }
    const event = parsed.data as OfficeEvent;
    if (event.type === 'policy') checkPolicy(event.preset, event.set, 'preset', 'set');
    const recordedBy = ctx.recordedBy ?? null;

    return new Promise<RecordResult>((resolve, reject) => {
      const queue = this.queues.get(projectId) ?? [];
      queue.push({ event, atDefaulted, recordedBy, resolve, reject });
      this.queues.set(projectId, queue);
      // The append starts after the I/O callbacks of this turn of the event loop (setImmediate), so
      // requests that arrived together — read from their sockets in the same turn — commit together.
      if (queue.length === 1 && !this.draining.has(projectId)) {
        this.draining.add(projectId);
        setImmediate(() => void this.drain(projectId));
      }
    });
  }

  /**
   * Group commit. Commands that arrive while a project's append is on its way
   * to disk wait in the project's queue; the next append takes all of them:
   * each is decided in arrival order against the state the previous ones
   * left, and they commit together — one transaction and one fsync (one
   * round trip set on PostgreSQL) for the lot, instead of one per command.
   * Each caller still gets its own result; a command the engine throws on
   * (a bug, not a rule) fails alone.
   */
  private async drain(projectId: string): Promise<void> {
    // `draining` was set when the drain was scheduled (recordEvent).
    try {
      for (;;) {
        const queue = this.queues.get(projectId);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, MAX_BATCH);
        await this.mutex.run(projectId, () => this.writeBatch(projectId, batch));
      }
    } finally {
      this.draining.delete(projectId);
      if (this.queues.get(projectId)?.length === 0) this.queues.delete(projectId);
    }
  }

  /** Writes a batch; answers every member. Returns the error that failed all of them, if one did. */
  private async writeBatch(projectId: string, batch: PendingWrite[]): Promise<unknown> {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; ) {
      try {
        // The first try is optimistic (the cache is the head as far as this process knows; the append's
        // head check guards it). After a lost race, PostgreSQL writers queue on an advisory lock instead.
        const answers = attempt === 1 ? await this.appendBatch(projectId, pending, false) : await this.serialised(projectId, () => this.appendBatch(projectId, pending, true));
        answers.forEach((a, i) => (a.ok ? pending[i]!.resolve(a.result) : pending[i]!.reject(a.error)));
        await this.checkpointIfDue(projectId);
        return undefined;
      } catch (e) {
        if (e instanceof MemberFailed) {
          // The engine threw on one command: it fails alone, the others go again (not a lost race).
          e.member.reject(e.cause);
          pending = pending.filter((p) => p !== e.member);
          continue;
        }
        const retry = (isRetryable(e) || e instanceof DuplicateEventError) && attempt < this.attempts;
        if (!retry && pending.length > 1 && isDataError(e)) {
          // The database refused a value of one event (one validation let through): the batch goes again
          // one event at a time, so that only that event fails and its neighbours land. A failure of
          // another kind on the way (a full disk) fails the rest at once.
          this.stats.isolated++;
          for (let i = 0; i < pending.length; i++) {
            const failure = await this.writeBatch(projectId, [pending[i]!]);
            if (failure !== undefined && !isDataError(failure)) {
              const mapped = writeFailure(projectId, failure);
              for (const p of pending.slice(i + 1)) p.reject(mapped);
              return failure;
            }
          }
          return undefined;
        }
        if (!retry) {
          const mapped = writeFailure(projectId, e);
          for (const p of pending) p.reject(mapped);
          return e;
        }
        await sleep(Math.random() * Math.min(60, 3 * 2 ** attempt));
        attempt++;
      }
    }
  }

  /** Decides every pending command in order against the cache, then appends the accepted and refused events in one transaction. */
  private async appendBatch(projectId: string, pending: PendingWrite[], verifyHead: boolean): Promise<({ ok: true; result: RecordResult } | { ok: false; error: unknown })[]> {
    let cache = await this.load(projectId, verifyHead);
    // A correction replays the timeline with the corrected registration in its place: that needs the events, which the cache does not keep.
    if (pending.some((p) => p.event.type === 'correction') && !cache.timeline.hasHistory) cache = await this.rebuildWithHistory(projectId);
    const known = await this.recorded(projectId, cache, pending.map((p) => p.event.id));
    const expected = cache.headSeq;
    const expectedHash = cache.headHash;
    const answers: ({ ok: true; result: RecordResult } | { ok: false; error: unknown })[] = [];
    const fresh: { member: PendingWrite; event: OfficeEvent; outcome: Outcome; rows: RowChange[]; seq: number }[] = [];
    const inBatch = new Map<string, Recorded>();
    const rows = new RowMerger();
    for (const member of pending) {
      const { event, atDefaulted } = member;
      const existing = known.get(event.id) ?? inBatch.get(event.id);
      if (existing) {
        try {
          answers.push({ ok: true, result: this.repeat(cache, existing, event, atDefaulted) });
        } catch (error) {
          answers.push({ ok: false, error });
        }
        continue;
      }
      const seq = expected + fresh.length + 1;
      let outcome: Outcome;
      let changed: RowChange[];
      try {
        outcome = applyCounted(cache, event);
        changed = cache.projector.step(cache.timeline.state, event, outcome, cache.timeline.rejections, seq);
      } catch (cause) {
        this.caches.delete(projectId);
        throw new MemberFailed(member, cause);
      }
      const status = outcome.accepted ? 'accepted' : 'rejected';
      inBatch.set(event.id, { seq, status, code: outcome.accepted ? null : outcome.rejection.code, event, atDefaulted });
      fresh.push({ member, event, outcome, rows: changed, seq });
      rows.add(changed);
      answers.push({ ok: true, result: resultOf(event.id, seq, outcome) });
    }
    if (fresh.length === 0) return answers;
    let stored: StoredEvent[];
    try {
      stored = await this.store.append(
        projectId, expected,
        fresh.map((f) => toNewEvent(f.event, { status: f.outcome.accepted ? 'accepted' : 'rejected', code: f.outcome.accepted ? undefined : f.outcome.rejection.code }, f.member.recordedBy)),
        async (tx) => rowWrites(tx, projectId, rows.merged()),
        { expectedHeadHash: expectedHash },
      );
    } catch (e) {
      if (e instanceof ConcurrencyError || e instanceof DuplicateEventError) this.stats.conflicts++;
      // The timeline already holds the batch's speculative events.
      this.caches.delete(projectId);
      throw e;
    }
    this.stats.appended += fresh.length;
    if (fresh.length > 1) this.stats.grouped += fresh.length;
    for (const f of fresh) {
      rememberEvent(cache, f.seq, f.event);
      cache.headSeq = f.seq;
    }
    cache.headHash = stored.at(-1)!.hash;
    for (const a of answers) {
      if (!a.ok || a.result.repeated) continue;
      cache.recent.set(a.result.id, { record: inBatch.get(a.result.id)!, result: a.result });
      if (cache.recent.size > RECENT_ANSWERS) cache.recent.delete(cache.recent.keys().next().value!);
    }
    // The correction is in the log: the events go again, and a checkpoint after it spares the next start a full replay.
    if (cache.timeline.hasHistory) {
      cache.timeline.forgetHistory();
      this.checkpointDue.add(projectId);
    }
    for (const f of fresh) this.announce(projectId, cache, f.seq, f.event, f.outcome, f.rows);
    return answers;
  }

  /**
   * On PostgreSQL, after a lost race, writers of one project in different
   * processes queue on a transaction-scoped advisory lock around fetch →
   * decide → append, so a busy process cannot starve another one into endless
   * optimistic retries. The head check of `append` still guards correctness
   * (and SQLite's BEGIN IMMEDIATE already serialises writers). At most
   * LOCK_SLOTS locks are held per process, leaving pool connections for the
   * appends themselves.
   */
  private async serialised<T>(projectId: string, fn: () => Promise<T>): Promise<T> {
    if (this.store.dialect !== 'postgres') return fn();
    await this.lockSlots.acquire();
    try {
      return await this.store.transaction(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`guishu:${projectId}`}))`.execute(tx);
        return fn();
      });
    } finally {
      this.lockSlots.release();
    }
  }

  private repeat(cache: ProjectCache, existing: Recorded, event: OfficeEvent, atDefaulted: boolean): RecordResult {
    const strip = (e: OfficeEvent, dropAt: boolean) => {
      const { at, ...rest } = e as OfficeEvent & Record<string, unknown>;
      return canonicalJson(dropAt ? rest : { ...rest, at });
    };
    const dropAt = atDefaulted || existing.atDefaulted === true;
    if (strip(existing.event, dropAt) !== strip(event, dropAt)) {
      throw new ConflictError('idempotency-conflict', `event id ${event.id} was already recorded with different content`, 'id');
    }
    // A retry soon after the write gets the write's own answer; one of an event from before this
    // process started gets its status (the engine does not keep every event's changes in memory).
    const recent = cache.recent.get(event.id);
    if (recent) return { ...recent.result, repeated: true };
    const rejection = cache.timeline.rejections.get(event.id);
    if (rejection) return { ...resultOf(event.id, existing.seq, { accepted: false, rejection }), repeated: true };
    return { id: event.id, seq: existing.seq, status: existing.status, decisions: [], repeated: true };
  }

  /**
   * The ids of `ids` already recorded: the last writes from memory; an id
   * the Bloom filter may have seen is looked up in the store (one query for
   * the batch); an id it has certainly not seen is new without a query.
   */
  private async recorded(projectId: string, cache: ProjectCache, ids: readonly string[]): Promise<Map<string, Recorded>> {
    const out = new Map<string, Recorded>();
    const ask: string[] = [];
    for (const id of ids) {
      const recent = cache.recent.get(id);
      if (recent) out.set(id, recent.record);
      else if (cache.ids.mayHave(id)) ask.push(id);
    }
    if (ask.length > 0) {
      for (const row of await this.store.findEvents(projectId, ask)) {
        if (row.seq <= cache.headSeq) out.set(row.eventId, { seq: row.seq, status: row.status, code: row.rejectionCode, event: fromStored(row) });
      }
    }
    return out;
  }

  private announce(projectId: string, cache: ProjectCache, seq: number, event: OfficeEvent, outcome: Outcome, rows: readonly RowChange[]): void {
    const notice: AppliedNotice = { projectId, seq, event, outcome, rows, timezone: cache.project.timezone };
    try {
      this.emit('applied', notice);
    } catch {
      // a listener's failure is not the writer's
    }
  }

  // ------------------------------------------------------------------ cache

  /**
   * The project's cache, built from the log or caught up to the store's head.
   * `verifyHead` false (a write's first try) skips asking the database when
   * the store cannot vouch for the head: the append's own head check catches
   * a stale cache, and the retry comes back here with `verifyHead` true.
   */
  private async load(projectId: string, verifyHead = true): Promise<ProjectCache> {
    let cache = this.caches.get(projectId);
    if (!cache) {
      cache = await this.build(projectId);
      this.caches.set(projectId, cache);
      return cache;
    }
    const known = this.store.knownHead(projectId);
    if (known === cache.headSeq || (known === undefined && !verifyHead)) return cache;
    const head = known !== undefined ? { seq: known } : await this.store.head(projectId).catch((e: unknown) => {
      if (e instanceof ProjectNotFoundError) throw projectNotFound(projectId);
      throw e;
    });
    if (head.seq === cache.headSeq) return cache;
    if (head.seq < cache.headSeq) {
      this.caches.delete(projectId);
      return this.load(projectId);
    }
    try {
      const overlay = await erasedOverlay(this.store, projectId, cache.headSeq + 1);
      for await (const row of this.store.readEvents(projectId, { fromSeq: cache.headSeq + 1, toSeq: head.seq })) {
        const event = fromStored(row, overlay.get(row.seq));
        if (event.type === 'correction' && !cache.timeline.hasHistory) {
          // Another process corrected an event: replaying it in place needs the whole log.
          this.caches.delete(projectId);
          return this.load(projectId);
        }
        const outcome = applyCounted(cache, event);
        const rows = cache.projector.step(cache.timeline.state, event, outcome, cache.timeline.rejections, row.seq);
        rememberEvent(cache, row.seq, event);
        cache.headSeq = row.seq;
        cache.headHash = row.hash;
        this.announce(projectId, cache, row.seq, event, outcome, rows);
      }
    } catch (e) {
      this.caches.delete(projectId);
      throw e;
    }
    return cache;
  }

  /**
   * A project's cache from its checkpoint and the log after it, or from the
   * whole log when there is no usable checkpoint (none, another engine's,
   * one the log does not continue, or a correction after it). Saves a new
   * checkpoint when the replay was long.
   */
  private async build(projectId: string): Promise<ProjectCache> {
    const project = await this.store.getProject(projectId);
    if (!project) throw projectNotFound(projectId);
    let cache: ProjectCache | undefined;
    const restored = this.checkpointEvery > 0 ? await this.restoreCheckpoint(project) : undefined;
    if (restored) {
      try {
        cache = await replayLog(this.store, project, 'from-state', { from: restored });
        this.stats.restored++;
      } catch (e) {
        if (!(e instanceof NeedsHistory)) throw e;
      }
    }
    if (!cache) {
      cache = await replayLog(this.store, project, 'from-state', { history: await hasCorrections(this.store, projectId) });
      cache.timeline.forgetHistory();
    }
    this.stats.rebuilds++;
    if (this.checkpointEvery > 0 && cache.headSeq - cache.checkpointSeq >= Math.min(this.checkpointEvery, CHECKPOINT_AFTER_REPLAY)) await this.saveCheckpoint(projectId, cache);
    // Restored customers decode as they are asked for; the rest a shard per event-loop turn, starting after
    // the request that built the cache has had its answer (lazy-customers.ts).
    const customers = cache.timeline.state.customers;
    if (customers instanceof LazyCustomers) void customers.completeInBackground();
    return cache;
  }

  /** The cache rebuilt from the whole log with its events kept (for a correction); the caller forgets them after. */
  private async rebuildWithHistory(projectId: string): Promise<ProjectCache> {
    const project = await this.store.getProject(projectId);
    if (!project) throw projectNotFound(projectId);
    const cache = await replayLog(this.store, project, 'from-state', { history: true });
    this.stats.rebuilds++;
    this.caches.set(projectId, cache);
    return cache;
  }

  /** The project's checkpoint, decoded, when it was written by this engine and the log still holds its last event. */
  private async restoreCheckpoint(project: Project): Promise<CacheCheckpoint<CheckpointExtra> | undefined> {
    const row = await this.store.loadCheckpoint(project.projectId);
    if (!row || row.fingerprint !== ENGINE_FINGERPRINT || row.seq > project.headSeq) return undefined;
    const [at] = await this.store.eventsAt(project.projectId, [row.seq]);
    if (!at || at.hash !== row.headHash) return undefined;
    try {
      const cp = decodeCheckpoint<CheckpointExtra>(row.body, { fingerprint: ENGINE_FINGERPRINT });
      // A checkpoint without the day's turns would answer 已接 today wrong: replay the log instead.
      return cp.seq === row.seq && cp.hash === row.headHash && cp.extra.turnsByDay ? cp : undefined;
    } catch {
      return undefined; // unreadable: replay the log
    }
  }

  /** Serialises the cache (the event loop stops for it: ~1 s per 80,000 customers here) and replaces the project's checkpoint. */
  private async saveCheckpoint(projectId: string, cache: ProjectCache): Promise<void> {
    try {
      // Another process erased a customer since this cache was built: it still holds their data, and must not write it down again.
      if ((await erasureMark(this.store, projectId)) !== cache.erasures) {
        if (this.caches.get(projectId) === cache) this.caches.delete(projectId);
        return;
      }
      const body = encodeCheckpoint({
        format: CHECKPOINT_FORMAT,
        fingerprint: ENGINE_FINGERPRINT,
        seq: cache.headSeq,
        hash: cache.headHash,
        timeline: cache.timeline.checkpoint(),
        projector: cache.projector.checkpoint(),
        extra: { ids: cache.ids.data(), reports: [...cache.reports], turnsByDay: [...cache.turnsByDay].map(([day, m]) => [day, [...m]]) },
        lazy: { phoneSeqs: cache.phoneSeqs },
      });
      await this.store.saveCheckpoint(projectId, { seq: cache.headSeq, headHash: cache.headHash, fingerprint: ENGINE_FINGERPRINT, body });
      cache.checkpointSeq = cache.headSeq;
      this.stats.checkpoints++;
    } catch (e) {
      // A checkpoint only saves time; failing to write one loses nothing.
      this.stats.checkpointFailures++;
      this.emit('checkpoint-failed', { projectId, error: e });
    }
  }

  /** After a commit: a checkpoint when `checkpointEvery` events were appended since the last, or one is due (a correction). */
  private async checkpointIfDue(projectId: string): Promise<void> {
    const cache = this.caches.get(projectId);
    if (!cache || this.checkpointEvery === 0) return;
    if (!this.checkpointDue.has(projectId) && cache.headSeq - cache.checkpointSeq < this.checkpointEvery) return;
    this.checkpointDue.delete(projectId);
    // Let the batch's answers go out first: serialising holds the event loop.
    await nextTurn();
    if (this.caches.get(projectId) === cache) await this.saveCheckpoint(projectId, cache);
  }

  /** Saves a checkpoint of every cached project that moved since its last one (at shutdown). */
  async checkpointAll(): Promise<number> {
    if (this.checkpointEvery === 0) return 0;
    let n = 0;
    for (const projectId of [...this.caches.keys()]) {
      await this.mutex.run(projectId, async () => {
        const cache = this.caches.get(projectId);
        if (cache && cache.headSeq > cache.checkpointSeq) {
          await this.saveCheckpoint(projectId, cache);
          n++;
        }
      });
    }
    return n;
  }

  /** Catches the cache up with the store (e.g. on a PostgreSQL notice from another process). */
  async sync(projectId: string): Promise<void> {
    await this.mutex.run(projectId, async () => {
      await this.load(projectId);
    });
  }

  /**
   * A query. Reads take no lock and no query when they can: with the cache
   * built, no write of the project in flight in this process (a read never
   * sees a decided but uncommitted event) and the head known to be current —
   * SQLite vouches for it without a query (data_version), PostgreSQL is asked
   * (another process may have appended). Otherwise it queues behind the
   * project's writes and catches up first.
   */
  private async read<T>(projectId: string, fn: (cache: ProjectCache) => T | Promise<T>): Promise<T> {
    const idle = () => !this.mutex.busy(projectId) && !this.draining.has(projectId);
    let cache = this.caches.get(projectId);
    if (cache && idle()) {
      const known = this.store.knownHead(projectId);
      if (known === cache.headSeq) return fn(cache);
      if (known === undefined) {
        const head = await this.store.head(projectId).catch(() => undefined);
        cache = this.caches.get(projectId);
        if (cache && head && head.seq === cache.headSeq && idle()) return fn(cache);
      }
    }
    return this.mutex.run(projectId, async () => fn(await this.load(projectId)));
  }

  /** A read-only query over the project's current engine state (e.g. src/app/alerts.ts); fn must not mutate it. */
  async query<T>(projectId: string, fn: (state: Timeline['state'], project: Project, at: number) => T): Promise<T> {
    return this.read(projectId, (c) => fn(c.timeline.state, c.project, this.now()));
  }

  /** Loads the project's cache now (replaying its log), rather than on its first request. */
  async warm(projectId: string): Promise<void> {
    await this.read(projectId, () => undefined);
  }

  /** Forgets every cached timeline (tests; after a restore). */
  forget(projectId?: string): void {
    if (projectId) this.caches.delete(projectId);
    else this.caches.clear();
  }

  // ------------------------------------------------------------------ queries

  async judge(projectId: string, input: JudgeInput) {
    return this.read(projectId, (c) => {
      const at = input.at ?? this.now();
      const phone = requirePhone(input.phone, 'customer.phone');
      const party = (input.party ?? []).map((p, i) => requirePhone(p, `party.${i}.phone`));
      const says = { ...(input.says ?? {}) } as Record<string, unknown>;
      const ref = says.referredBy as { phone?: string } | undefined;
      if (ref && typeof ref.phone === 'string') says.referredBy = { ...ref, phone: requirePhone(ref.phone, 'says.referredBy.phone') };
      const state = c.timeline.state;
      const r = judgeArrival(state, { phone, party, says, at, purpose: input.purpose, recognizedBy: input.recognizedBy }, policyAt(state, at));
      const ownerText = clauseText(r.ownerBasis.clause);
      const receiverText = clauseText(r.receiverBasis.clause);
      return {
        receiver: r.receiver ?? 'none',
        owner: r.owner ?? 'none',
        countsAsTurn: r.countsAsTurn,
        basis: { clause: r.ownerBasis.clause, events: [...r.ownerBasis.events], text: ownerText },
        receiverBasis: { clause: r.receiverBasis.clause, events: [...r.receiverBasis.events], text: receiverText },
        claim: r.claim.kind,
        helperFor: r.helperFor ?? null,
        reason: judgeReason(r.receiver, r.owner, r.countsAsTurn, r.ownerBasis.clause, ownerText),
        at: toIso(at),
      };
    });
  }

  async customer(projectId: string, phoneText: string, atInput?: number) {
    return this.read(projectId, async (c) => {
      const at = atInput ?? this.now();
      const phone = requirePhone(phoneText, 'phone');
      const state = c.timeline.state;
      const customer = state.customers.get(phone);
      const view = ownerOf(state, phone, at);
      const text = clauseText(view.basis?.clause);
      const tz = c.project.timezone;
      const protectionLeft = view.status === 'protected' && view.protectedUntil !== null
        ? { days: localDay(view.protectedUntil, tz) - localDay(at, tz), until: toIso(view.protectedUntil), untilLocal: formatLocalTime(view.protectedUntil, tz) }
        : null;
      // Everything from the state first (a write may land while the events are read back), then the events.
      const seqs = [...(c.phoneSeqs.get(phone) ?? [])];
      const card = {
        phone,
        name: customer?.name ?? null,
        owner: view.owner ?? 'none',
        status: view.status,
        protectedUntil: view.protectedUntil === null ? null : toIso(view.protectedUntil),
        protectionLeft,
        basis: view.basis ? { clause: view.basis.clause, events: [...view.basis.events], text } : null,
        reason: ownerReason(view, text),
        visits: customer?.visits ?? 0,
        deals: [...(customer?.deals ?? [])],
      };
      const rows = await this.store.eventsAt(projectId, seqs);
      const timeline = rows.map((r) => {
        const rej = c.timeline.rejections.get(r.eventId);
        return {
          seq: r.seq, id: r.eventId, type: r.type, at: toIso(r.atMs), local: formatLocalTime(r.atMs, tz),
          recordedAt: r.recordedAt, recordedLocal: formatLocalTime(Date.parse(r.recordedAt), tz), ...lateness(r),
          status: r.status, current: rej ? 'rejected' : 'accepted', rejectionCode: rej?.code ?? null,
        };
      });
      return {
        ...card,
        timeline,
        at: toIso(at),
      };
    });
  }

  async rotation(projectId: string, atInput?: number) {
    return this.read(projectId, (c) => rotationOf(c.timeline.state, atInput ?? this.now(), c.turnsByDay));
  }

  async staff(projectId: string) {
    return this.read(projectId, (c) => [...c.timeline.state.staff.values()].map((m) => ({ id: m.id, name: m.name ?? null, team: m.team ?? null, role: m.role, agency: m.agency ?? null, leftAt: m.leftAt === undefined ? null : toIso(m.leftAt) })));
  }

  async reports(projectId: string, atInput?: number) {
    return this.read(projectId, (c) => {
      const at = atInput ?? this.now();
      const state = c.timeline.state;
      const out = [];
      for (const [id, rec] of c.reports) {
        const v = reportView(state, id, at, c.timeline.rejections.get(id));
        const r = state.reports.get(id);
        out.push({ id, seq: rec.seq, agent: rec.agent, status: v?.status ?? 'rejected', validUntil: r ? toIso(r.validUntil) : null, rejectionCode: c.timeline.rejections.get(id)?.code ?? null });
      }
      return out;
    });
  }

  async report(projectId: string, id: string, atInput?: number) {
    return this.read(projectId, (c) => {
      const at = atInput ?? this.now();
      const rec = c.reports.get(id);
      const v = reportView(c.timeline.state, id, at, c.timeline.rejections.get(id));
      if (!rec || !v) throw new NotFoundError('report-not-found', `no report ${id}`, 'id');
      const r = c.timeline.state.reports.get(id);
      return { id, seq: rec.seq, status: v.status, agent: v.agent ?? rec.agent, validUntil: r ? toIso(r.validUntil) : null, converted: r?.convertedBy ? { eventId: r.convertedBy.eventId, at: toIso(r.convertedBy.at) } : null, basis: r ? { clause: r.basis.clause, events: [...r.basis.events] } : null, at: toIso(at) };
    });
  }

  async deals(projectId: string) {
    return this.read(projectId, (c) => [...c.timeline.state.deals.keys()].map((id) => dealJson(c.timeline.state, id)!));
  }

  async deal(projectId: string, id: string) {
    return this.read(projectId, (c) => {
      const d = dealJson(c.timeline.state, id);
      if (!d) throw new NotFoundError('deal-not-found', `no deal ${id}`, 'id');
      return d;
    });
  }

  async policies(projectId: string) {
    await this.read(projectId, () => undefined);
    const rows = await this.store.db.selectFrom('policies').selectAll().where('project_id', '=', projectId).orderBy('version').execute();
    return rows.map((r) => ({ version: Number(r.version), effectiveAt: r.effective_at, preset: r.preset, set: JSON.parse(r.set) as unknown, createdAt: r.created_at }));
  }

  /** The log, paged by seq. */
  async events(projectId: string, opts: { afterSeq?: number; limit?: number } = {}) {
    const project = await this.store.getProject(projectId);
    if (!project) throw projectNotFound(projectId);
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    const out = [];
    for await (const row of this.store.readEvents(projectId, { fromSeq: (opts.afterSeq ?? 0) + 1, toSeq: (opts.afterSeq ?? 0) + limit, batchSize: limit })) {
      out.push(eventJson(row, project.timezone));
    }
    const last = out.at(-1)?.seq ?? opts.afterSeq ?? 0;
    return { events: out, nextAfterSeq: last < project.headSeq ? last : null, headSeq: project.headSeq };
  }

  async event(projectId: string, id: string) {
    return this.read(projectId, async (c) => {
      const [row] = await this.store.findEvents(projectId, [id]);
      // An event appended after this cache's head is not there yet for this reader.
      if (!row || row.seq > c.headSeq) throw new NotFoundError('event-not-found', `no event ${id}`, 'id');
      const rej = c.timeline.rejections.get(id);
      const current = rej ? { status: 'rejected' as const, rejection: rejectionJson(rej) } : { status: 'accepted' as const };
      return { ...eventJson(row, c.project.timezone), current };
    });
  }

  /** Replays the project's events under another policy; lists the customers whose owner and the deals whose split would change. */
  async whatIf(projectId: string, input: { preset: string; set?: Record<string, unknown>; at?: number }) {
    const policy = checkPolicy(input.preset, input.set, 'preset', 'set');
    return this.read(projectId, async (c) => {
      const at = input.at ?? this.now();
      // The log, read back from the store up to this cache's head, under the other policy.
      const alt = new Timeline({ timezone: c.project.timezone, policy: { ...policy, effectiveAt: Number.NEGATIVE_INFINITY }, keepHistory: 'events', resolvePolicy: resolveFromEvent });
      const overlay = await erasedOverlay(this.store, projectId);
      const logged: { id: string; type: OfficeEvent['type'] }[] = [];
      const due = everyNth(2_000);
      for await (const row of this.store.readEvents(projectId, { fromSeq: 2, toSeq: c.headSeq, batchSize: 2_000 })) {
        if (due()) await nextTurn();
        const event = fromStored(row, overlay.get(row.seq));
        logged.push({ id: event.id, type: event.type });
        if (event.type !== 'policy') alt.apply(event);
      }
      const before = c.timeline.state;
      const after = alt.state;
      const phones = new Set([...before.customers.keys(), ...after.customers.keys()]);
      const customers = [];
      for (const phone of [...phones].sort()) {
        const b = ownerOf(before, phone, at);
        const a = ownerOf(after, phone, at);
        if (b.owner !== a.owner || b.status !== a.status) {
          customers.push({ phone, name: before.customers.get(phone)?.name ?? after.customers.get(phone)?.name ?? null, before: { owner: b.owner ?? 'none', status: b.status, basis: b.basis?.clause ?? null }, after: { owner: a.owner ?? 'none', status: a.status, basis: a.basis?.clause ?? null } });
        }
      }
      const deals = [];
      for (const id of new Set([...before.deals.keys(), ...after.deals.keys()])) {
        const b = dealJson(before, id);
        const a = dealJson(after, id);
        if (canonicalJson([b?.performance, b?.commission]) !== canonicalJson([a?.performance, a?.commission])) {
          deals.push({ id, before: b ? { performance: b.performance, commission: b.commission, basis: b.basis } : null, after: a ? { performance: a.performance, commission: a.commission, basis: a.basis } : null });
        }
      }
      const rejections = [];
      for (const event of logged) {
        const b = c.timeline.rejections.get(event.id)?.code ?? null;
        const a = alt.rejections.get(event.id)?.code ?? null;
        if (b !== a && event.type !== 'policy') rejections.push({ id: event.id, type: event.type, before: b, after: a });
      }
      return { preset: input.preset, set: input.set ?? {}, at: toIso(at), customers, deals, rejections };
    });
  }

  // ------------------------------------------------------------------ scoping and data rights

  /** Ids of the reports a channel agent filed that name this phone (in full, or as a mask it matches). */
  async reportedBy(projectId: string, staffId: string, phoneText: string): Promise<string[]> {
    const phone = requirePhone(phoneText, 'phone');
    return this.read(projectId, (c) => {
      const out: string[] = [];
      for (const [id, rec] of c.reports) {
        if (rec.agent !== staffId) continue;
        const text = rec.phone;
        const mask = parseMask(text);
        if (normalizePhone(text) === phone || (mask && maskMatches(mask, phone))) out.push(id);
      }
      return out;
    });
  }

  /**
   * Erases a customer's personal data (right to erasure). Every event naming
   * the phone — in full, or as a report mask it matches — has its `personal`
   * column set to NULL (the hash chain keeps verifying: only the salted digest
   * is hashed). So that the project can still be replayed, the event's
   * customer references are kept in the `erasures` overlay with this customer
   * under a pseudonymous phone (segment 17400, never a person's number in an
   * office; one pseudonym for all of the customer's events, so ownership,
   * reports and deal splits replay exactly as before) and the name
   * ERASED_NAME; other
   * customers named by the same event keep theirs. Projections are rebuilt.
   */
  async eraseCustomer(projectId: string, phoneText: string): Promise<{ events: number; seqs: number[]; pseudonym: string }> {
    const phone = requirePhone(phoneText, 'phone');
    const result = await this.mutex.run(projectId, async () => {
      const cache = await this.load(projectId);
      const known = new Set([...cache.timeline.state.customers.keys(), ...cache.phoneSeqs.keys()]);
      if (!known.has(phone)) throw new NotFoundError('customer-not-found', 'no customer with this phone', 'phone');
      let pseudonym: string;
      do pseudonym = `17400${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
      while (known.has(pseudonym));
      const overlays: { seq: number; personal: string }[] = [];
      const overlay = await erasedOverlay(this.store, projectId);
      for await (const row of this.store.readEvents(projectId, { batchSize: 2_000 })) {
        const rec = { seq: row.seq, event: fromStored(row, overlay.get(row.seq)) };
        let touched = false;
        const rewritten = mapCustomerRefs(rec.event, (ref) => {
          const text = String(ref.phone);
          // A registration that had a name keeps one (the engine refuses a nameless visit): a placeholder.
          const name = ref.name === undefined ? {} : { name: ERASED_NAME };
          if (normalizePhone(text) === phone) {
            touched = true;
            return { phone: pseudonym, ...name };
          }
          const mask = parseMask(text);
          if (mask && maskMatches(mask, phone)) {
            touched = true;
            const p = mask.prefix.length;
            return { phone: formatMask({ prefix: pseudonym.slice(0, p), hidden: mask.hidden, suffix: pseudonym.slice(p + mask.hidden) }), ...name };
          }
          return ref;
        });
        if (touched) overlays.push({ seq: rec.seq, personal: canonicalJson(splitPersonal(rewritten).personal ?? {}) });
      }
      const erasedAt = toIso(this.now());
      // The overlay (the erasure record the database requires) and the blanking in one transaction.
      await this.store.erasePersonal(projectId, overlays.map((o) => o.seq), { overlay: new Map(overlays.map((o) => [o.seq, o.personal])), erasedAt });
      // The checkpoint holds the customer's phone and name: it goes too.
      await this.store.dropCheckpoint(projectId);
      this.caches.delete(projectId);
      return { events: overlays.length, seqs: overlays.map((o) => o.seq), pseudonym };
    });
    await this.rebuildProjections(projectId);
    await this.store.scrub(); // SQLite: the erased data out of the WAL too (docs/store.md)
    return result;
  }

  /** Everything the office holds about one customer (data-subject export): the card and every event naming them, with personal data. */
  async exportCustomer(projectId: string, phoneText: string) {
    const card = await this.customer(projectId, phoneText);
    const events = await this.read(projectId, async (c) => {
      const rows = await this.store.eventsAt(projectId, c.phoneSeqs.get(card.phone) ?? []);
      const overlay = await erasedOverlay(this.store, projectId);
      return rows.map((r) => ({ seq: r.seq, status: r.status, event: fromStored(r, overlay.get(r.seq)) }));
    });
    return { customer: card, events };
  }

  // ------------------------------------------------------------------ rebuild

  /** Recomputes every projection row of the project from the log (guishu rebuild). Returns the number of rows written. */
  async rebuildProjections(projectId: string): Promise<{ rows: number; headSeq: number }> {
    return this.mutex.run(projectId, () =>
      withRetry(async () => {
        const project = await this.store.getProject(projectId);
        if (!project) throw projectNotFound(projectId);
        const cache = await replayLog(this.store, project, 'recompute', { history: await hasCorrections(this.store, projectId) });
        cache.timeline.forgetHistory();
        const rows = cache.projector.rows();
        await this.store.transaction(async (tx) => {
          let q = tx.selectFrom('projects').select('head_seq').where('project_id', '=', projectId);
          if (this.store.dialect === 'postgres') q = q.forUpdate();
          const head = await q.executeTakeFirst();
          if (!head) throw new ProjectNotFoundError(projectId);
          if (Number(head.head_seq) !== cache.headSeq) throw new ConcurrencyError(projectId, cache.headSeq, Number(head.head_seq));
          for (const table of ['report_masks', 'reports', 'units', 'deals', 'alerts', 'rotation', 'customers', 'staff', 'policies'] as Table[]) {
            await tx.deleteFrom(table as never).where('project_id' as never, '=', projectId as never).execute();
          }
          await writeRows(tx, projectId, rows, true);
        });
        cache.projector.forgetRows();
        this.caches.set(projectId, cache);
        return { rows: rows.length, headSeq: cache.headSeq };
      }),
    );
  }

  /** Projection rows as stored (for checks: a rebuild must give identical rows). */
  async projectionRows(projectId: string): Promise<Record<string, Record<string, unknown>[]>> {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const table of Object.keys(KEYS) as Table[]) {
      let q = this.store.db.selectFrom(table as never).selectAll().where('project_id' as never, '=', projectId as never);
      for (const k of KEYS[table]) q = q.orderBy(k as never);
      out[table] = (await q.execute()) as Record<string, unknown>[];
    }
    return out;
  }
}

// ------------------------------------------------------------------ helpers

function resolveFromEvent(ev: EventOf<'policy'>, version: number): Policy {
  return resolvePolicy(ev.preset, ev.set, ev.effectiveAt ?? ev.at, version);
}

/**
 * SQLite reads resolve without touching the event loop: a long replay of the
 * log (a warm-up, a cold project, a what-if) yields a turn every so many
 * events, so that the server goes on answering everything else.
 */
function everyNth(n: number): () => boolean {
  let count = 0;
  return () => ++count % n === 0;
}

function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** A correction came after the checkpoint: replaying it in place needs the whole log. */
class NeedsHistory extends Error {}

interface ReplayOptions {
  /** Start from this checkpoint and replay only the events after it. */
  from?: CacheCheckpoint<CheckpointExtra>;
  /** Keep the events in the timeline (a log with corrections needs them); the caller forgets them after. */
  history?: boolean;
}

/**
 * Builds a project's cache by replaying its log (from a checkpoint, or from
 * the first event). `recompute` diffs the projections after every event, as
 * the live path did (a rebuild compares against that); `from-state` replays
 * the engine alone and computes the projection snapshot once from the final
 * state, taking each row's updated_seq from the stored rows — a cold start
 * does not redo the projection work of every past event.
 */
async function replayLog(store: EventStore, project: Project, projections: 'recompute' | 'from-state' = 'recompute', options: ReplayOptions = {}): Promise<ProjectCache> {
  let cache: ProjectCache | undefined;
  const from = options.from;
  const erasures = await erasureMark(store, project.projectId);
  if (from) {
    // The genesis policy is the state's first (restore takes the state whole; the option only has to be a policy).
    const timeline = Timeline.restore(timelineOptions(project, from.timeline.state.policies[0]!, false), from.timeline);
    // The projection snapshot and the phone index decode when first used: a restart at the head answers its first questions without them.
    let projector: Projector | undefined;
    let phoneSeqs: Map<string, number[]> | undefined;
    cache = {
      project, timeline, headSeq: from.seq, headHash: from.hash, recent: new Map(),
      get projector(): Projector {
        return (projector ??= Projector.restore(from.projector, { keepRows: false }));
      },
      set projector(p: Projector) {
        projector = p;
      },
      get phoneSeqs(): Map<string, number[]> {
        return (phoneSeqs ??= from.lazy!.phoneSeqs as Map<string, number[]>);
      },
      set phoneSeqs(m: Map<string, number[]>) {
        phoneSeqs = m;
      },
      ids: new IdFilter(from.extra.ids), reports: new Map(from.extra.reports), checkpointSeq: from.seq, erasures,
      turnsByDay: new Map((from.extra.turnsByDay ?? []).map(([day, m]) => [day, new Map(m)])),
    };
  }
  const overlay = await erasedOverlay(store, project.projectId, from ? from.seq + 1 : 1);
  // After a checkpoint the projector steps through each event, as a live process does.
  const perEvent = projections === 'recompute' || from !== undefined;
  const due = everyNth(2_000);
  for await (const row of store.readEvents(project.projectId, { fromSeq: from ? from.seq + 1 : 1, batchSize: 2_000 })) {
    if (due()) await nextTurn();
    const event = fromStored(row, overlay.get(row.seq));
    if (!cache) {
      if (event.type !== 'policy') throw new AppError('corrupt-project', 500, 'Project has no policy', `project ${project.projectId}: the first event is not a policy`);
      const policy = resolvePolicy(event.preset, event.set, Number.NEGATIVE_INFINITY, 1);
      // The live cache keeps a digest of each projection row (enough to diff); a rebuild keeps the rows, to write them.
      const projector = new Projector({ keepRows: projections === 'recompute' });
      projector.genesis(event, row.seq);
      cache = {
        project, timeline: new Timeline(timelineOptions(project, policy, options.history === true)), projector, headSeq: row.seq, headHash: row.hash, recent: new Map(),
        ids: new IdFilter(), reports: new Map(), phoneSeqs: new Map(), checkpointSeq: 0, erasures, turnsByDay: new Map(),
      };
      cache.ids.add(event.id);
      continue;
    }
    if (event.type === 'correction' && !cache.timeline.hasHistory) throw new NeedsHistory();
    const outcome = applyCounted(cache, event);
    if (perEvent) cache.projector.step(cache.timeline.state, event, outcome, cache.timeline.rejections, row.seq);
    else if (event.type === 'policy' && outcome.accepted) cache.projector.policyVersionAt(event, row.seq);
    else if (event.type === 'report' && !outcome.accepted) cache.projector.refusedReportAt(event, outcome, row.seq);
    rememberEvent(cache, row.seq, event);
    cache.headSeq = row.seq;
    cache.headHash = row.hash;
  }
  if (!cache) throw new AppError('corrupt-project', 500, 'Project has no policy', `project ${project.projectId} has no events (its creation did not finish)`);
  if (!perEvent && cache.headSeq > 1) {
    cache.projector.recomputeAll(cache.timeline.state, cache.timeline.rejections, cache.headSeq);
    for (const table of ['customers', 'rotation', 'reports', 'deals'] as Table[]) {
      const keys = KEYS[table];
      const stored = await store.db
        .selectFrom(table as never)
        .select([...keys, 'updated_seq'] as never)
        .where('project_id' as never, '=', project.projectId as never)
        .execute();
      cache.projector.restoreVersions(table, stored as Record<string, unknown>[]);
    }
  }
  return cache;
}

function timelineOptions(project: Project, policy: Policy, history: boolean) {
  // The server keeps no events in memory (history only while a correction needs it) and leaves repeated ids to `ids` and the store's unique key.
  return { timezone: project.timezone, policy, keepHistory: history ? ('events' as const) : false, checkIds: false, resolvePolicy: resolveFromEvent };
}

async function hasCorrections(store: EventStore, projectId: string): Promise<boolean> {
  const row = await store.db.selectFrom('events').select('seq').where('project_id', '=', projectId).where('type', '=', 'correction').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Notes an event's id, and indexes it under every customer it names (cards, exports) and, for a report, by its id. */
function rememberEvent(cache: ProjectCache, seq: number, event: OfficeEvent): void {
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

/** What the project's erasures are now (how many overlay rows, the latest time): changes with every erasure. */
async function erasureMark(store: EventStore, projectId: string): Promise<string> {
  const r = await store.db.selectFrom('erasures').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('erased_at').as('last')]).where('project_id', '=', projectId).executeTakeFirst();
  return `${Number(r?.n ?? 0)}|${r?.last ?? ''}`;
}

/** The erasure overlay of a project: seq → the personal part replay uses for an erased event. */
async function erasedOverlay(store: EventStore, projectId: string, fromSeq = 1): Promise<Map<number, unknown>> {
  const rows = await store.db.selectFrom('erasures').select(['seq', 'personal']).where('project_id', '=', projectId).where('seq', '>=', fromSeq).execute();
  return new Map(rows.map((r) => [Number(r.seq), JSON.parse(r.personal) as unknown]));
}

function checkPolicy(preset: string, set: Record<string, unknown> | undefined, presetField: string, setField: string): Policy {
  if (!PRESETS.has(preset)) throw new InvalidInputError(presetField, `unknown preset ${preset}; one of ${[...PRESETS.keys()].join(', ')}`, 'unknown-preset');
  try {
    return resolvePolicy(preset, set, Number.NEGATIVE_INFINITY, 1);
  } catch (e) {
    if (e instanceof PolicyError) throw new InvalidInputError(`${setField}.${e.field}`, e.message, 'invalid-policy');
    throw e;
  }
}

/** What a write's caller is told when its append failed for good. */
function writeFailure(projectId: string, e: unknown): unknown {
  if (e instanceof ConcurrencyError) return new BusyError(projectId);
  if (e instanceof ProjectNotFoundError) return projectNotFound(projectId);
  if (isStorageFull(e)) return new StorageFullError(e);
  if (isDataError(e)) {
    const code = (e as { code?: unknown }).code;
    return new UnstorableError(`the database refused a value of this event${typeof code === 'string' && code ? ` (${code})` : ''}; nothing was recorded`);
  }
  return e;
}

function projectNotFound(projectId: string): NotFoundError {
  return new NotFoundError('project-not-found', `no project ${projectId}`, 'project');
}

function requirePhone(text: string, field: string): string {
  const phone = isPhoneText(text) ? normalizePhone(text) : undefined;
  if (!phone) throw new InvalidInputError(field, `not a valid mainland mobile number: ${text.slice(0, 40)}`, 'invalid-phone');
  return phone;
}

export function rejectionJson(r: Rejected): RejectionInfo {
  return { code: r.code, field: r.field, message: r.messageEn, messageZh: r.messageZh, messageEn: r.messageEn };
}

function resultOf(id: string, seq: number, outcome: Outcome): RecordResult {
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
export function rotationOf(state: Timeline['state'], at: number, turnsByDay?: TurnsByDay) {
  const r = rotationView(state, at);
  const presence: Record<string, string> = {};
  for (const staff of r.order) presence[staff] = availabilityOf(state, staff, at);
  const today = turnsByDay?.get(localDay(at, state.timezone));
  return { next: r.next ?? 'none', order: r.order, presence, makeUps: r.makeUps, turns: r.turns, turnsToday: today ? Object.fromEntries(today) : {}, at: toIso(at) };
}

/**
 * Applies an event to the cache's timeline and counts the rotation turns it
 * took by their local day. A correction replays the engine, and its outcome
 * carries no changes: the turns it moved (the engine's totals before and after)
 * are put on the corrected registration's day.
 */
function applyCounted(cache: ProjectCache, event: OfficeEvent): Outcome {
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

function dealJson(state: Timeline['state'], id: string) {
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
function lateness(row: StoredEvent): { late: boolean; lateReason: string | null } {
  const reason = (row.payload as { lateReason?: unknown }).lateReason;
  const lateReason = typeof reason === 'string' ? reason : null;
  return { late: lateReason !== null || isLate(row.atMs, Date.parse(row.recordedAt)), lateReason };
}

function eventJson(row: StoredEvent, timezone: string) {
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

function ownerReason(view: OwnerView, text: ClauseText | null): { zh: string; en: string } {
  const clause = view.basis?.clause;
  const cite = (s: string) => (clause ? `${s}（${clause}${text ? `：${text.zh}` : ''}）` : s);
  const citeEn = (s: string) => (clause ? `${s} (${clause}${text ? `: ${text.en}` : ''})` : s);
  switch (view.status) {
    case 'none':
      return { zh: '无登记记录，为新客户', en: 'no record: a new customer' };
    case 'public':
      return { zh: cite('公客池客户，无归属'), en: citeEn('in the public pool, no owner') };
    case 'closed':
      return { zh: cite(`已成交，归属 ${view.owner}`), en: citeEn(`closed: belongs to ${view.owner}`) };
    case 'lapsed':
      return { zh: cite(`保护期已过，原归属 ${view.owner}`), en: citeEn(`protection ran out; last owner ${view.owner}`) };
    default:
      return { zh: cite(`保护期内，归属 ${view.owner}`), en: citeEn(`protected: belongs to ${view.owner}`) };
  }
}

function judgeReason(receiver: string | null, owner: string | null, turn: boolean, clause: string, text: ClauseText | null): { zh: string; en: string } {
  const zh = `由 ${receiver ?? '（无人可接）'} 接待，归属 ${owner ?? '无'}${turn ? '，计轮次' : '，不计轮次'}；依据 ${clause}${text ? `：${text.zh}` : ''}`;
  const en = `received by ${receiver ?? '(nobody available)'}, belongs to ${owner ?? 'nobody'}, ${turn ? 'uses a rotation turn' : 'no rotation turn'}; basis ${clause}${text ? `: ${text.en}` : ''}`;
  return { zh, en };
}
