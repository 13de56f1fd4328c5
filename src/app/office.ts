// The app layer's facade: the use cases the server and the CLI call. Every
// command is fetch → decide → append in one store transaction, with optimistic
// concurrency per project and a bounded retry; queries record nothing.
//
// A request's data goes one way: HTTP → this facade → the engine (in the
// project's cache) → the store. The parts, each changed for its own reasons:
//
//   write-queue.ts    the one write path: group commit, retries, isolation of a bad value
//   project-cache.ts  the projects held in memory: load, catch-up, checkpoints, the warm-project limit
//   cache.ts          what a project's cache holds and how one event moves it on
//   replay.ts         a cache from a checkpoint or the whole log
//   queries.ts        judge, card, rotation, reports, deals, events
//   what-if.ts        the log under another policy
//   erasure.ts        a customer's erasure and export
//   projections.ts    the projection tables rebuilt from the log
//   views.ts          answers as JSON; reasons.ts their words (zh/en); policy.ts the policy check
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Outcome, Timeline } from '../domain/engine/index.ts';
import { officeEvent, type EventOf, type OfficeEvent } from '../domain/events.ts';
import { isValidTimezone, DEFAULT_TIMEZONE } from '../domain/time.ts';
import { ProjectExistsError, type EventStore, type Project } from '../store/index.js';
import type { ProjectCache } from './cache.ts';
import { toNewEvent } from './codec.ts';
import { eraseCustomer, exportCustomer } from './erasure.ts';
import { codeForField, ConflictError, InvalidInputError } from './errors.ts';
import { checkPolicy } from './policy.ts';
import { CHECKPOINT_EVERY, ProjectCaches, type AppStats } from './project-cache.ts';
import { projectionRows, rebuildProjections } from './projections.ts';
import { Projector, writeRows, type RowChange } from './projector.ts';
import { Queries, type JudgeInput } from './queries.ts';
import type { RecordResult } from './views.ts';
import { whatIf, type WhatIfInput } from './what-if.ts';
import { WriteQueue } from './write-queue.ts';

export { CHECKPOINT_EVERY, type AppStats } from './project-cache.ts';
export { ERASED_NAME } from './erasure.ts';
export type { JudgeInput } from './queries.ts';
export type { WhatIfInput } from './what-if.ts';
export { decisionJson, rejectionJson, rotationOf, type RecordResult, type RejectionInfo } from './views.ts';

export interface ActingContext {
  /** The acting user (staff id or account); stored as the event's recorded_by. */
  recordedBy?: string | null;
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

export interface CreateProjectInput {
  id?: string;
  name: string;
  timezone?: string;
  preset: string;
  set?: Record<string, unknown>;
}

export interface AppOptions {
  store: EventStore;
  /** Server clock (tests). */
  now?: () => number;
  /** Tries per command, including the first. Default 8. */
  attempts?: number;
  /** Events appended between engine checkpoints (default CHECKPOINT_EVERY); 0: never read or write checkpoints. */
  checkpointEvery?: number;
  /** Projects held in memory at most (GUISHU_WARM_PROJECTS); the one idle longest leaves first and comes back from its checkpoint. 0 (default): no limit. */
  warmProjects?: number;
}

const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export class GuishuApp extends EventEmitter {
  readonly store: EventStore;
  /** The app's clock (injectable in tests); adapters ask it rather than reading the wall clock. */
  readonly now: () => number;
  /** Counters for operators and tests: appends lost to another process, caches rebuilt from the log, events appended (and how many of them shared a commit), projects evicted. */
  readonly stats: AppStats = { conflicts: 0, rebuilds: 0, restored: 0, appended: 0, grouped: 0, checkpoints: 0, checkpointFailures: 0, isolated: 0, evicted: 0 };
  private readonly caches: ProjectCaches;
  private readonly writes: WriteQueue;
  private readonly queries: Queries;

  constructor(opts: AppOptions) {
    super();
    this.setMaxListeners(0);
    this.store = opts.store;
    this.now = opts.now ?? Date.now;
    const applied = (projectId: string, cache: ProjectCache, seq: number, event: OfficeEvent, outcome: Outcome, rows: readonly RowChange[]) => {
      const notice: AppliedNotice = { projectId, seq, event, outcome, rows, timezone: cache.project.timezone };
      try {
        this.emit('applied', notice);
      } catch {
        // a listener's failure is not the writer's
      }
    };
    this.caches = new ProjectCaches({
      store: this.store,
      stats: this.stats,
      checkpointEvery: opts.checkpointEvery ?? CHECKPOINT_EVERY,
      warmProjects: opts.warmProjects ?? 0,
      writing: (projectId) => this.writes.busy(projectId),
      applied,
      checkpointFailed: (projectId, error) => this.emit('checkpoint-failed', { projectId, error }),
    });
    this.writes = new WriteQueue({ caches: this.caches, stats: this.stats, attempts: opts.attempts ?? 8, applied });
    this.queries = new Queries(this.caches, this.now);
  }

  // ------------------------------------------------------------------ projects

  async createProject(input: CreateProjectInput, ctx: ActingContext = {}): Promise<{ project: Project; policy: RecordResult }> {
    const id = input.id ?? `p-${randomUUID().slice(0, 8)}`;
    if (!PROJECT_ID.test(id)) throw new InvalidInputError('id', 'a project id is 1-64 letters, digits, "-" or "_"');
    const timezone = input.timezone ?? DEFAULT_TIMEZONE;
    if (!isValidTimezone(timezone)) throw new InvalidInputError('timezone', `unknown time zone ${timezone}`);
    checkPolicy(input.preset, input.set);
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
    this.caches.drop(id);
    return { project: { ...project, headSeq: stored[0]!.seq, headHash: stored[0]!.hash }, policy: { id: genesis.id, seq: stored[0]!.seq, status: 'accepted', decisions: [{ kind: 'policy', version: 1, preset: input.preset }] } };
  }

  /** The project's time zone (local times in requests are read in it). */
  async timezone(projectId: string): Promise<string> {
    // A project's zone never changes: asked on every request that carries a time, answered from memory once known.
    const known = this.caches.peek(projectId)?.project.timezone;
    if (known !== undefined) return known;
    return this.caches.read(projectId, (c) => c.project.timezone);
  }

  async listProjects(): Promise<Project[]> {
    return this.store.listProjects();
  }

  async getProject(projectId: string): Promise<Project & { policy: { preset: string; version: number }; staff: number; customers: number }> {
    return this.caches.read(projectId, (c) => {
      const p = c.timeline.state.policies.at(-1)!;
      return { ...c.project, headSeq: c.headSeq, policy: { preset: p.preset, version: p.version }, staff: c.timeline.state.staff.size, customers: c.timeline.state.customers.size };
    });
  }

  // ------------------------------------------------------------------ the one write path

  /**
   * Records one office event (already validated against the domain schema).
   * A refused event is recorded too, with status 'rejected' and its code.
   * It waits for the project's next group commit (write-queue.ts).
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
    if (event.type === 'policy') checkPolicy(event.preset, event.set);
    return this.writes.enqueue(projectId, event, atDefaulted, ctx.recordedBy ?? null);
  }

  // ------------------------------------------------------------------ the projects held in memory

  /** Saves a checkpoint of every held project that moved since its last one (at shutdown). */
  async checkpointAll(): Promise<number> {
    return this.caches.checkpointAll();
  }

  /** Catches the cache up with the store (e.g. on a PostgreSQL notice from another process). */
  async sync(projectId: string): Promise<void> {
    await this.caches.sync(projectId);
  }

  /** A read-only query over the project's current engine state (e.g. src/app/alerts.ts); fn must not mutate it. */
  async query<T>(projectId: string, fn: (state: Timeline['state'], project: Project, at: number) => T): Promise<T> {
    return this.caches.read(projectId, (c) => fn(c.timeline.state, c.project, this.now()));
  }

  /** Loads the project's cache now (replaying its log), rather than on its first request. */
  async warm(projectId: string): Promise<void> {
    await this.caches.read(projectId, () => undefined);
  }

  /** Forgets every cached timeline (tests; after a restore). */
  forget(projectId?: string): void {
    if (projectId) this.caches.drop(projectId);
    else this.caches.clear();
  }

  /** The projects held in memory now, the one idle longest first. */
  heldProjects(): string[] {
    return this.caches.held();
  }

  // ------------------------------------------------------------------ queries (queries.ts)

  judge(projectId: string, input: JudgeInput) {
    return this.queries.judge(projectId, input);
  }

  customer(projectId: string, phoneText: string, atInput?: number) {
    return this.queries.customer(projectId, phoneText, atInput);
  }

  rotation(projectId: string, atInput?: number) {
    return this.queries.rotation(projectId, atInput);
  }

  staff(projectId: string) {
    return this.queries.staff(projectId);
  }

  reports(projectId: string, atInput?: number) {
    return this.queries.reports(projectId, atInput);
  }

  report(projectId: string, id: string, atInput?: number) {
    return this.queries.report(projectId, id, atInput);
  }

  deals(projectId: string) {
    return this.queries.deals(projectId);
  }

  deal(projectId: string, id: string) {
    return this.queries.deal(projectId, id);
  }

  policies(projectId: string) {
    return this.queries.policies(projectId);
  }

  /** The log, paged by seq. */
  events(projectId: string, opts: { afterSeq?: number; limit?: number } = {}) {
    return this.queries.events(projectId, opts);
  }

  event(projectId: string, id: string) {
    return this.queries.event(projectId, id);
  }

  /** Ids of the reports a channel agent filed that name this phone (in full, or as a mask it matches). */
  reportedBy(projectId: string, staffId: string, phoneText: string): Promise<string[]> {
    return this.queries.reportedBy(projectId, staffId, phoneText);
  }

  /** Replays the project's events under another policy; lists the customers whose owner and the deals whose split would change (what-if.ts). */
  whatIf(projectId: string, input: WhatIfInput) {
    return whatIf(this.caches, this.now, projectId, input);
  }

  // ------------------------------------------------------------------ data rights (erasure.ts)

  /** Erases a customer's personal data (right to erasure); see erasure.ts. */
  eraseCustomer(projectId: string, phoneText: string): Promise<{ events: number; seqs: number[]; pseudonym: string }> {
    return eraseCustomer(this.caches, this.now, projectId, phoneText);
  }

  /** Everything the office holds about one customer (data-subject export): the card and every event naming them, with personal data. */
  exportCustomer(projectId: string, phoneText: string) {
    return exportCustomer(this.caches, this.queries, projectId, phoneText);
  }

  // ------------------------------------------------------------------ projections (projections.ts)

  /** Recomputes every projection row of the project from the log (guishu rebuild). Returns the number of rows written. */
  rebuildProjections(projectId: string): Promise<{ rows: number; headSeq: number }> {
    return rebuildProjections(this.caches, projectId);
  }

  /** Projection rows as stored (for checks: a rebuild must give identical rows). */
  projectionRows(projectId: string): Promise<Record<string, Record<string, unknown>[]>> {
    return projectionRows(this.caches, projectId);
  }
}
