// The one write path: commands queue per project and commit in groups.
// Each command is decided by the engine against the cache, in arrival order,
// and the batch is appended in one transaction (events, head, projection rows).
// Within a process, writes to a project never conflict (they queue); across
// processes the append's head check catches a stale cache, which is dropped,
// reloaded and the batch tried again (on PostgreSQL then behind the
// project's advisory lock).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Outcome } from '../domain/engine/index.ts';
import type { OfficeEvent } from '../domain/events.ts';
import {
  canonicalJson, ConcurrencyError, DuplicateEventError, isDataError, isRetryable, isStorageFull, ProjectNotFoundError, type StoredEvent,
} from '../store/index.js';
import { applyCounted, rememberEvent, RECENT_ANSWERS, type ProjectCache, type Recorded } from './cache.ts';
import { fromStored, toNewEvent } from './codec.ts';
import { BusyError, ConflictError, StorageFullError, UnstorableError } from './errors.ts';
import { projectNotFound, type AppStats, type ProjectCaches } from './project-cache.ts';
import { rowWrites, type RowChange } from './projector.ts';
import { resultOf, type RecordResult } from './views.ts';

/** A command waiting for its project's next group commit. */
export interface PendingWrite {
  event: OfficeEvent;
  atDefaulted: boolean;
  recordedBy: string | null;
  resolve: (result: RecordResult) => void;
  reject: (error: unknown) => void;
}


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

export interface WriteQueueOptions {
  caches: ProjectCaches;
  stats: AppStats;
  /** Tries per command, including the first. */
  attempts: number;
  /** Tells listeners of an event committed by this process. */
  applied: (projectId: string, cache: ProjectCache, seq: number, event: OfficeEvent, outcome: Outcome, rows: readonly RowChange[]) => void;
}

export class WriteQueue {
  private readonly queues = new Map<string, PendingWrite[]>();
  private readonly draining = new Set<string>();

  constructor(private readonly o: WriteQueueOptions) {}

  /** True while the project has commands queued or being written. */
  busy(projectId: string): boolean {
    return this.draining.has(projectId);
  }

  /** Queues a validated command; resolves with its result once its batch has committed. */
  enqueue(projectId: string, event: OfficeEvent, atDefaulted: boolean, recordedBy: string | null): Promise<RecordResult> {
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
        await this.o.caches.mutex.run(projectId, () => this.writeBatch(projectId, batch));
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
        await this.o.caches.checkpointIfDue(projectId);
        return undefined;
      } catch (e) {
        if (e instanceof MemberFailed) {
          // The engine threw on one command: it fails alone, the others go again (not a lost race).
          e.member.reject(e.cause);
          pending = pending.filter((p) => p !== e.member);
          continue;
        }
        const retry = (isRetryable(e) || e instanceof DuplicateEventError) && attempt < this.o.attempts;
        if (!retry && pending.length > 1 && isDataError(e)) {
          // The database refused a value of one event (one validation let through): the batch goes again
          // one event at a time, so that only that event fails and its neighbours land. A failure of
          // another kind on the way (a full disk) fails the rest at once.
          this.o.stats.isolated++;
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
    const caches = this.o.caches;
    let cache = await caches.load(projectId, verifyHead);
    // A correction replays the timeline with the corrected registration in its place: that needs the events, which the cache does not keep.
    if (pending.some((p) => p.event.type === 'correction') && !cache.timeline.hasHistory) cache = await caches.rebuildWithHistory(projectId);
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
        caches.drop(projectId);
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
      stored = await caches.store.append(
        projectId, expected,
        fresh.map((f) => toNewEvent(f.event, { status: f.outcome.accepted ? 'accepted' : 'rejected', code: f.outcome.accepted ? undefined : f.outcome.rejection.code }, f.member.recordedBy)),
        async (tx) => rowWrites(tx, projectId, rows.merged()),
        { expectedHeadHash: expectedHash },
      );
    } catch (e) {
      if (e instanceof ConcurrencyError || e instanceof DuplicateEventError) this.o.stats.conflicts++;
      // The timeline already holds the batch's speculative events.
      caches.drop(projectId);
      throw e;
    }
    this.o.stats.appended += fresh.length;
    if (fresh.length > 1) this.o.stats.grouped += fresh.length;
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
      caches.markCheckpointDue(projectId);
    }
    for (const f of fresh) this.o.applied(projectId, cache, f.seq, f.event, f.outcome, f.rows);
    return answers;
  }

  /**
   * After a lost race, writers of one project in different processes queue
   * on the project's lock around fetch → decide → append (the store's
   * `serialised`: PostgreSQL's advisory lock), so a busy process cannot
   * starve another one into endless optimistic retries. The head check of
   * `append` still guards correctness.
   */
  private serialised<T>(projectId: string, fn: () => Promise<T>): Promise<T> {
    return this.o.caches.store.serialised(projectId, fn);
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
      for (const row of await this.o.caches.store.findEvents(projectId, ask)) {
        if (row.seq <= cache.headSeq) out.set(row.eventId, { seq: row.seq, status: row.status, code: row.rejectionCode, event: fromStored(row) });
      }
    }
    return out;
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
