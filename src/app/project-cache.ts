// The projects a process holds in memory: each one's cache built from its
// checkpoint and the log after it (or the whole log), caught up from the
// store's head when another process appended, saved as a checkpoint now and
// then, and let go when it has been idle longest and the warm-project limit
// is reached (it comes back from its checkpoint on its next request).
//
// Reads take no lock when they can (`read`); writes and catch-ups of one
// project run one at a time on the project's mutex (write-queue.ts takes it).
import type { Outcome } from '../domain/engine/index.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { ProjectNotFoundError, type EventStore, type Project } from '../store/index.js';
import { applyCounted, rememberEvent, type CheckpointExtra, type ProjectCache } from './cache.ts';
import { CHECKPOINT_FORMAT, decodeCheckpointParts, encodeCheckpointParts, ENGINE_FINGERPRINT, type CacheCheckpoint } from './checkpoint.ts';
import { fromStored } from './codec.ts';
import { NotFoundError } from './errors.ts';
import { LazyCustomers } from './lazy-customers.ts';
import { KeyedMutex } from './mutex.ts';
import type { RowChange } from './projector.ts';
import { erasedOverlay, erasureMark, hasCorrections, NeedsHistory, nextTurn, replayLog } from './replay.ts';
import { collectYoung } from './young-gc.ts';

/** Events appended between two checkpoints of a project: a restart replays at most about this many (~0.3 s here). */
export const CHECKPOINT_EVERY = 20_000;
/** A start that replayed at least this many events saves a checkpoint right away. */
const CHECKPOINT_AFTER_REPLAY = 5_000;

/** Counters for operators and tests: appends lost to another process, caches rebuilt from the log, events appended (and how many of them shared a commit). */
export interface AppStats {
  conflicts: number;
  rebuilds: number;
  restored: number;
  appended: number;
  grouped: number;
  checkpoints: number;
  checkpointFailures: number;
  isolated: number;
  /** Projects let go to stay within the warm-project limit. */
  evicted: number;
}

export interface ProjectCachesOptions {
  store: EventStore;
  stats: AppStats;
  /** Events appended between checkpoints; 0: never read or write checkpoints. */
  checkpointEvery: number;
  /** Projects held in memory at most (0: no limit); the one idle longest goes first. */
  warmProjects: number;
  /** True while the project has writes queued or in flight (a lock-free read must wait for them). */
  writing: (projectId: string) => boolean;
  /** An event this process learnt of by catching up (another process appended it). */
  applied: (projectId: string, cache: ProjectCache, seq: number, event: OfficeEvent, outcome: Outcome, rows: readonly RowChange[]) => void;
  checkpointFailed: (projectId: string, error: unknown) => void;
}

/**
 * The checkpoint's parts, with a young collection before each one after the
 * first: the one before has been written by then, and freeing its buffer now
 * keeps a save's memory at about one part (young-gc.ts).
 */
function* lettingGo<T, R>(parts: Iterator<T, R, undefined>): Generator<T, R, undefined> {
  for (;;) {
    const next = parts.next();
    if (next.done) return next.value;
    yield next.value;
    collectYoung();
  }
}

/** A cache leaving memory decodes no more of its restored customers in the background (lazy-customers.ts). */
function stopDecoding(cache: ProjectCache): void {
  const customers = cache.timeline.state.customers;
  if (customers instanceof LazyCustomers) customers.stopBackground();
}

export function projectNotFound(projectId: string): NotFoundError {
  return new NotFoundError('project-not-found', `no project ${projectId}`, 'project');
}

export class ProjectCaches {
  /** Insertion order is recency: a project used is moved to the end, the first is the one idle longest. */
  private readonly caches = new Map<string, ProjectCache>();
  readonly mutex = new KeyedMutex();
  private readonly checkpointDue = new Set<string>();

  constructor(private readonly o: ProjectCachesOptions) {}

  get store(): EventStore {
    return this.o.store;
  }

  /** The cache as held now (no load, no catch-up). */
  peek(projectId: string): ProjectCache | undefined {
    return this.caches.get(projectId);
  }

  /** The projects held now, the one idle longest first. */
  held(): string[] {
    return [...this.caches.keys()];
  }

  /** Forgets a project's cache (a speculative batch failed, an erasure, a restore); the next use rebuilds it. */
  drop(projectId: string, only?: ProjectCache): void {
    const cache = this.caches.get(projectId);
    if (!cache || (only !== undefined && cache !== only)) return;
    this.caches.delete(projectId);
    stopDecoding(cache);
  }

  clear(): void {
    this.caches.clear();
  }

  /** Holds `cache` as the project's (a rebuild made it). */
  hold(projectId: string, cache: ProjectCache): void {
    this.caches.delete(projectId);
    this.caches.set(projectId, cache);
    this.evictIdle(projectId);
  }

  /** A checkpoint is due after the next commit (a correction was appended). */
  markCheckpointDue(projectId: string): void {
    this.checkpointDue.add(projectId);
  }

  /**
   * The project's cache, built from the log or caught up to the store's head.
   * `verifyHead` false (a write's first try) skips asking the database when
   * the store cannot vouch for the head: the append's own head check catches
   * a stale cache, and the retry comes back here with `verifyHead` true.
   * Call it on the project's mutex.
   */
  async load(projectId: string, verifyHead = true): Promise<ProjectCache> {
    let cache = this.caches.get(projectId);
    if (!cache) {
      cache = await this.build(projectId);
      this.hold(projectId, cache);
      return cache;
    }
    this.touch(projectId, cache);
    const store = this.o.store;
    const known = store.knownHead(projectId);
    if (known === cache.headSeq || (known === undefined && !verifyHead)) return cache;
    const head = known !== undefined ? { seq: known } : await store.head(projectId).catch((e: unknown) => {
      if (e instanceof ProjectNotFoundError) throw projectNotFound(projectId);
      throw e;
    });
    if (head.seq === cache.headSeq) return cache;
    if (head.seq < cache.headSeq) {
      this.caches.delete(projectId);
      return this.load(projectId);
    }
    try {
      const overlay = await erasedOverlay(store, projectId, cache.headSeq + 1);
      for await (const row of store.replayEvents(projectId, { fromSeq: cache.headSeq + 1, toSeq: head.seq })) {
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
        this.o.applied(projectId, cache, row.seq, event, outcome, rows);
      }
    } catch (e) {
      this.caches.delete(projectId);
      throw e;
    }
    return cache;
  }

  /**
   * A query. Reads take no lock and no query when they can: with the cache
   * built, no write of the project in flight in this process (a read never
   * sees a decided but uncommitted event) and the head known to be current —
   * SQLite vouches for it without a query (data_version), PostgreSQL is asked
   * (another process may have appended). Otherwise it queues behind the
   * project's writes and catches up first.
   */
  async read<T>(projectId: string, fn: (cache: ProjectCache) => T | Promise<T>): Promise<T> {
    const idle = () => !this.mutex.busy(projectId) && !this.o.writing(projectId);
    let cache = this.caches.get(projectId);
    if (cache && idle()) {
      const known = this.o.store.knownHead(projectId);
      if (known === cache.headSeq) {
        this.touch(projectId, cache);
        return fn(cache);
      }
      if (known === undefined) {
        const head = await this.o.store.head(projectId).catch(() => undefined);
        cache = this.caches.get(projectId);
        if (cache && head && head.seq === cache.headSeq && idle()) {
          this.touch(projectId, cache);
          return fn(cache);
        }
      }
    }
    return this.mutex.run(projectId, async () => fn(await this.load(projectId)));
  }

  /** Catches the cache up with the store (e.g. on a PostgreSQL notice from another process); a project not held stays out. */
  async sync(projectId: string): Promise<void> {
    await this.mutex.run(projectId, async () => {
      await this.load(projectId);
    });
  }

  /**
   * A project's cache from its checkpoint and the log after it, or from the
   * whole log when there is no usable checkpoint (none, another engine's,
   * one the log does not continue, or a correction after it). Saves a new
   * checkpoint when the replay was long.
   */
  private async build(projectId: string): Promise<ProjectCache> {
    const store = this.o.store;
    const project = await store.getProject(projectId);
    if (!project) throw projectNotFound(projectId);
    let cache: ProjectCache | undefined;
    const restored = this.o.checkpointEvery > 0 ? await this.restoreCheckpoint(project) : undefined;
    if (restored) {
      try {
        cache = await replayLog(store, project, 'from-state', { from: restored });
        this.o.stats.restored++;
      } catch (e) {
        if (!(e instanceof NeedsHistory)) throw e;
      }
    }
    if (!cache) {
      cache = await replayLog(store, project, 'from-state', { history: await hasCorrections(store, projectId) });
      cache.timeline.forgetHistory();
    }
    this.o.stats.rebuilds++;
    if (this.o.checkpointEvery > 0 && cache.headSeq - cache.checkpointSeq >= Math.min(this.o.checkpointEvery, CHECKPOINT_AFTER_REPLAY)) await this.saveCheckpoint(projectId, cache);
    // Restored customers decode as they are asked for; the rest a shard per event-loop turn, starting after
    // the request that built the cache has had its answer (lazy-customers.ts).
    const customers = cache.timeline.state.customers;
    if (customers instanceof LazyCustomers) void customers.completeInBackground();
    return cache;
  }

  /** The cache rebuilt from the whole log with its events kept (for a correction); the caller forgets them after. */
  async rebuildWithHistory(projectId: string): Promise<ProjectCache> {
    const project = await this.o.store.getProject(projectId);
    if (!project) throw projectNotFound(projectId);
    const cache = await replayLog(this.o.store, project, 'from-state', { history: true });
    this.o.stats.rebuilds++;
    this.hold(projectId, cache);
    return cache;
  }

  /** The project's checkpoint, decoded, when it was written by this engine and the log still holds its last event. */
  private async restoreCheckpoint(project: Project): Promise<CacheCheckpoint<CheckpointExtra> | undefined> {
    const store = this.o.store;
    const row = await store.loadCheckpoint(project.projectId);
    if (!row || row.fingerprint !== ENGINE_FINGERPRINT || row.seq > project.headSeq) return undefined;
    const [at] = await store.eventsAt(project.projectId, [row.seq]);
    if (!at || at.hash !== row.headHash) return undefined;
    try {
      const cp = decodeCheckpointParts<CheckpointExtra>(row.body, row.parts, { fingerprint: ENGINE_FINGERPRINT });
      // A checkpoint without the day's turns would answer 已接 today wrong: replay the log instead.
      return cp.seq === row.seq && cp.hash === row.headHash && cp.extra.turnsByDay ? cp : undefined;
    } catch {
      return undefined; // unreadable: replay the log
    }
  }

  /**
   * Serialises the cache (the event loop stops for it: ~1 s per 80,000
   * customers here) and replaces the project's checkpoint, a part at a time
   * (only one part's bytes in memory at once). Call it on the project's
   * mutex: the state must not move while its parts are written.
   */
  private async saveCheckpoint(projectId: string, cache: ProjectCache): Promise<boolean> {
    try {
      // Another process erased a customer since this cache was built: it still holds their data, and must not write it down again.
      if ((await erasureMark(this.o.store, projectId)) !== cache.erasures) {
        this.drop(projectId, cache);
        return false;
      }
      const parts = encodeCheckpointParts({
        format: CHECKPOINT_FORMAT,
        fingerprint: ENGINE_FINGERPRINT,
        seq: cache.headSeq,
        hash: cache.headHash,
        timeline: cache.timeline.checkpoint(),
        projector: cache.projector.checkpoint(),
        extra: { ids: cache.ids.data(), reports: [...cache.reports], turnsByDay: [...cache.turnsByDay].map(([day, m]) => [day, [...m]]) },
        lazy: { phoneSeqs: cache.phoneSeqs },
      });
      await this.o.store.saveCheckpoint(projectId, { seq: cache.headSeq, headHash: cache.headHash, fingerprint: ENGINE_FINGERPRINT, parts: lettingGo(parts) });
      cache.checkpointSeq = cache.headSeq;
      this.o.stats.checkpoints++;
      return true;
    } catch (e) {
      // A checkpoint only saves time; failing to write one loses nothing.
      this.o.stats.checkpointFailures++;
      this.o.checkpointFailed(projectId, e);
      return false;
    }
  }

  /** After a commit: a checkpoint when `checkpointEvery` events were appended since the last, or one is due (a correction). */
  async checkpointIfDue(projectId: string): Promise<void> {
    const cache = this.caches.get(projectId);
    if (!cache || this.o.checkpointEvery === 0) return;
    if (!this.checkpointDue.has(projectId) && cache.headSeq - cache.checkpointSeq < this.o.checkpointEvery) return;
    this.checkpointDue.delete(projectId);
    // Let the batch's answers go out first: serialising holds the event loop.
    await nextTurn();
    if (this.caches.get(projectId) === cache) await this.saveCheckpoint(projectId, cache);
  }

  /** Saves a checkpoint of every held project that moved since its last one (at shutdown). */
  async checkpointAll(): Promise<number> {
    if (this.o.checkpointEvery === 0) return 0;
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

  /** Marks the project used now (the most recent). */
  private touch(projectId: string, cache: ProjectCache): void {
    if (this.caches.size < 2) return;
    this.caches.delete(projectId);
    this.caches.set(projectId, cache);
  }

  /**
   * Lets go of the projects idle longest while more than `warmProjects` are
   * held (never `keep`, nor one with a write or a catch-up in flight). One
   * that moved since its last checkpoint saves one first, on its mutex, so
   * that it comes back from there rather than from a long replay.
   */
  private evictIdle(keep: string): void {
    const limit = this.o.warmProjects;
    if (limit <= 0 || this.caches.size <= limit) return;
    for (const [projectId, cache] of this.caches) {
      if (this.caches.size <= limit) break;
      if (projectId === keep || this.mutex.busy(projectId) || this.o.writing(projectId)) continue;
      this.caches.delete(projectId);
      this.o.stats.evicted++;
      stopDecoding(cache);
      if (this.o.checkpointEvery > 0 && cache.headSeq > cache.checkpointSeq) {
        void this.mutex.run(projectId, async () => {
          if (!this.caches.has(projectId)) await this.saveCheckpoint(projectId, cache);
        });
      }
    }
  }
}
