import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import { executeAll } from './pipeline.js';
import type { HeadNotice, StoreAdapter, Unlisten } from './adapter.js';
import { canonicalJson } from './canonical.js';
import { ConcurrencyError, DuplicateEventError, ProjectExistsError, ProjectNotFoundError } from './errors.js';
import { GENESIS_HASH, hashEvent, personalDigest, sealPersonal, type PersonalEnvelope } from './hash.js';
import { migrate } from './migrations/index.js';
import type { DialectName } from './migrations/types.js';
import type { Database, EventRow, ProjectRow } from './schema.js';
import { projectionStore, type ProjectionStore } from './projections.js';
import { logStore, type LogStore } from './log-store.js';
import { auditStore, type AuditStore } from './audit-store.js';
import { checkpointStore, type CheckpointStore } from './checkpoint-store.js';
import { accountsStore, type AccountsStore } from './accounts-store.js';
import { notificationReadStore, type NotificationReadStore } from './notification-reads.js';

export type EventStatus = 'accepted' | 'rejected';

/** An event as the domain hands it to the store. */
export interface NewEvent {
  /** The domain's id; unique within the project (a retry of the same event fails with DuplicateEventError). */
  eventId: string;
  type: string;
  /** The event's own time. Stored as ISO-8601 UTC with ms; an epoch-ms number or a Date is converted. */
  at: string | number | Date;
  recordedBy?: string | null;
  /** The event's body WITHOUT personal fields (JSON value). */
  payload: unknown;
  /** Personal fields (name, phone, ...) kept apart so they can be erased; only a salted digest is hashed. */
  personal?: unknown;
  /** Default 'accepted'. Rejected attempts are logged too: the log records what was tried. */
  status?: EventStatus;
  rejectionCode?: string | null;
  /**
   * Restore only (`guishu restore`): reproduce a row exactly as it was first
   * written. `recordedAt` replaces the server clock, `personalSalt` the random
   * salt of the personal digest, and `erasedPersonalDigest` is the digest of
   * personal data already erased (then `personal` must be absent).
   */
  recordedAt?: string | number | Date;
  personalSalt?: string;
  erasedPersonalDigest?: string;
}

/** What a replay of the log reads of each event: the engine's input and the chain's hash, nothing else (docs/store.md). */
export type ReplayedEvent = Pick<StoredEvent, 'seq' | 'eventId' | 'type' | 'atMs' | 'payload' | 'personal' | 'personalErased' | 'hash'>;

export interface StoredEvent {
  projectId: string;
  seq: number;
  eventId: string;
  type: string;
  /** ISO-8601 UTC, as stored. */
  at: string;
  /** The same instant as epoch ms (the domain's representation). */
  atMs: number;
  recordedAt: string;
  recordedBy: string | null;
  payload: unknown;
  /** The personal data, or null when there was none or it was erased. */
  personal: unknown;
  personalDigest: string | null;
  /** True when the event had personal data that has since been erased. */
  personalErased: boolean;
  status: EventStatus;
  rejectionCode: string | null;
  prevHash: string;
  hash: string;
}

export interface Project {
  projectId: string;
  name: string;
  timezone: string;
  createdAt: string;
  headSeq: number;
  headHash: string;
}

export interface Head {
  seq: number;
  hash: string;
}

export type VerifyResult =
  | { ok: true; count: number; head: Head }
  | {
      ok: false;
      /** First seq whose link is broken. */
      seq: number;
      expected: string;
      found: string;
      reason: 'gap' | 'prev_hash' | 'hash' | 'payload' | 'personal_digest' | 'personal-erased-without-record' | 'head';
    };

/** What erasePersonal records for each blanked row (table `erasures`). */
export interface ErasureOptions {
  /**
   * seq → the erasure overlay (JSON text): the personal part a replay uses
   * instead of the blanked one (GuishuApp.eraseCustomer writes the customer
   * under a pseudonym). A seq without one is recorded with `null`: the app then
   * replays the event with stand-in customers.
   */
  overlay?: ReadonlyMap<number, string>;
  /** Default: the store's clock. */
  erasedAt?: string;
}

export interface ReadRange {
  fromSeq?: number;
  toSeq?: number;
  /** Rows fetched per query. Default 500. */
  batchSize?: number;
}

/**
 * Callback run inside the append transaction to update projections. It may
 * run its statements itself, or return them compiled: then they go out with
 * the append's own (PostgreSQL: in one round trip).
 */
export type ApplyProjections = (tx: Transaction<Database>, stored: readonly StoredEvent[]) => Promise<void | readonly CompiledQuery[]>;

export interface EventStore extends ProjectionStore, LogStore, AuditStore, AccountsStore, CheckpointStore, NotificationReadStore {
  readonly dialect: DialectName;
  /** The query builder for projections (same API on both databases). */
  readonly db: Kysely<Database>;
  /** Migration versions applied when this store was opened (empty when the schema was current). */
  readonly migrationsApplied: readonly number[];
  /** Applies pending migrations; returns the versions applied now. Idempotent. */
  migrate(): Promise<number[]>;

  createProject(projectId: string, name: string, timezone?: string): Promise<Project>;
  getProject(projectId: string): Promise<Project | undefined>;
  listProjects(): Promise<Project[]>;

  /**
   * Appends events atomically. In one transaction: lock the project, check
   * head_seq === expectedHeadSeq (else ConcurrencyError, nothing written),
   * assign seq/prev_hash/hash, insert, move the head, run applyProjections
   * with the same transaction, announce the new head, commit.
   */
  append(projectId: string, expectedHeadSeq: number, events: readonly NewEvent[], applyProjections?: ApplyProjections, options?: AppendOptions): Promise<StoredEvent[]>;
  /** Events in seq order, fetched in batches (constant memory for long logs). */
  readEvents(projectId: string, range?: ReadRange): AsyncIterable<StoredEvent>;
  /**
   * The same events with only what a replay uses (cold start, catch-up, what-if): the other eight
   * columns — the previous hash, the recording, the status — cost a third of a replay's reading.
   */
  replayEvents(projectId: string, range?: ReadRange): AsyncIterable<ReplayedEvent>;
  head(projectId: string): Promise<Head>;
  /** The head without a query when the store can vouch nobody else wrote since it last saw it (SQLite); else undefined. */
  knownHead(projectId: string): number | undefined;
  /** Events by id (the unique key (project_id, event_id)); missing ids are left out. */
  findEvents(projectId: string, eventIds: readonly string[]): Promise<StoredEvent[]>;
  /** Events at the given seqs, in seq order. */
  eventsAt(projectId: string, seqs: readonly number[]): Promise<StoredEvent[]>;
  /** Recomputes every hash and link; reports the first broken one. */
  verifyChain(projectId: string): Promise<VerifyResult>;
  /**
   * Sets `personal` to NULL on the given events (the one UPDATE the database
   * allows), recording each in `erasures` in the same transaction (the
   * database refuses the UPDATE without that record). Returns rows blanked.
   */
  erasePersonal(projectId: string, seqs: readonly number[], options?: ErasureOptions): Promise<number>;
  /** Seqs whose personal data is gone without an erasure record (blanked behind the store's back). */
  unexplainedErasures(projectId: string): Promise<number[]>;
  /**
   * After an erasure: SQLite checkpoints the WAL and truncates it, so the
   * erased data (zeroed in the database file by secure_delete) is not left in
   * the WAL either. PostgreSQL: nothing (see docs/store.md).
   */
  scrub(): Promise<void>;
  /** A write transaction for work that is not an append (e.g. projection rebuilds). */
  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs fn with the project's writers serialised across processes: after a
   * lost race, a writer queues here instead of retrying optimistically
   * (PostgreSQL: the project's advisory lock; SQLite: BEGIN IMMEDIATE does it
   * already). The server's write queue and bulk imports take the same lock.
   */
  serialised<T>(projectId: string, fn: () => Promise<T>): Promise<T>;
  /** Whether `listen` hears other processes' appends too (PostgreSQL), not only this process's (SQLite). */
  readonly hearsOtherProcesses: boolean;
  /** Called after each committed append to projectId (PostgreSQL: from any process, via LISTEN). */
  listen(projectId: string, cb: (notice: HeadNotice) => void): Promise<Unlisten>;
  close(): Promise<void>;
}

export interface AppendOptions {
  /**
   * The hash of the event at expectedHeadSeq, when the caller knows it (its
   * cache holds the log). With it, and projections that only compile their
   * statements, PostgreSQL appends in one round trip: BEGIN, the events, the
   * head move, a guard that the head was where expected, the projections, the
   * notice and COMMIT go out together; the primary key on (project_id, seq)
   * and the guard make a stale head fail the whole transaction.
   */
  expectedHeadHash?: string;
}

export interface EventStoreOptions {
  /** Clock for recorded_at/created_at (tests). */
  now?: () => Date;
}

/** ISO-8601 UTC with milliseconds: the one time format in the store. */
export function toIsoTime(value: string | number | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new TypeError(`invalid time ${String(value)}`);
  return d.toISOString();
}

function toProject(r: ProjectRow): Project {
  return { projectId: r.project_id, name: r.name, timezone: r.timezone, createdAt: r.created_at, headSeq: Number(r.head_seq), headHash: r.head_hash };
}

/** What a replay reads of a row (`replayEvents`): the fields of `ReplayedEvent`, decoded as `toStoredEvent` decodes them. */
function toReplayedEvent(r: Pick<EventRow, 'seq' | 'event_id' | 'type' | 'at' | 'payload' | 'personal' | 'personal_digest' | 'hash'>): ReplayedEvent {
  return {
    seq: Number(r.seq), eventId: r.event_id, type: r.type, atMs: Date.parse(r.at), payload: JSON.parse(r.payload) as unknown,
    personal: r.personal === null ? null : (JSON.parse(r.personal) as PersonalEnvelope).data,
    personalErased: r.personal_digest !== null && r.personal === null, hash: r.hash,
  };
}

/** Rows in seq order, a page of `range.batchSize` (default 500) at a time: constant memory for long logs. */
async function* inSeqOrder<R extends { seq: number | string | bigint }>(range: ReadRange, page: (after: number, limit: number) => Promise<R[]>): AsyncGenerator<R> {
  const limit = Math.max(1, range.batchSize ?? 500);
  let after = (range.fromSeq ?? 1) - 1;
  for (;;) {
    const rows = await page(after, limit);
    yield* rows;
    if (rows.length < limit) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export function toStoredEvent(r: EventRow): StoredEvent {
  const envelope = r.personal === null ? null : (JSON.parse(r.personal) as PersonalEnvelope);
  return {
    projectId: r.project_id,
    seq: Number(r.seq),
    eventId: r.event_id,
    type: r.type,
    at: r.at,
    atMs: Date.parse(r.at),
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    payload: JSON.parse(r.payload) as unknown,
    personal: envelope ? envelope.data : null,
    personalDigest: r.personal_digest,
    personalErased: r.personal_digest !== null && r.personal === null,
    status: r.status,
    rejectionCode: r.rejection_code,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const CHUNK = 400;

export async function createEventStore(adapter: StoreAdapter, opts: EventStoreOptions = {}): Promise<EventStore> {
  const now = () => (opts.now ? opts.now() : new Date()).toISOString();
  const { db } = adapter;
  /** A project's events after `after` (up to `to`), in seq order, `limit` at most: the query before its columns. */
  const eventsAfter = (projectId: string, after: number, limit: number, to: number | undefined) => {
    let q = db.selectFrom('events').where('project_id', '=', projectId).where('seq', '>', after);
    if (to !== undefined) q = q.where('seq', '<=', to);
    return q.orderBy('seq').limit(limit);
  };
  const doMigrate = () => migrate(adapter.transaction.bind(adapter) as never, adapter.ddl);
  const migrationsApplied = await doMigrate();

  /** The project's events whose `column` is one of `values` (in chunks), in seq order. */
  async function eventsWhere(projectId: string, column: 'event_id' | 'seq', values: readonly (string | number)[]): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    for (let i = 0; i < values.length; i += CHUNK) {
      const rows = await db.selectFrom('events').selectAll()
        .where('project_id', '=', projectId).where(column, 'in', values.slice(i, i + CHUNK)).execute();
      for (const r of rows) out.push(toStoredEvent(r));
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  const store: EventStore = {
    dialect: adapter.dialect,
    db,
    migrationsApplied,
    migrate: doMigrate,

    async createProject(projectId, name, timezone = 'Asia/Shanghai') {
      if (!projectId) throw new TypeError('projectId is required');
      try {
        const row = { project_id: projectId, name, timezone, created_at: now(), head_seq: 0, head_hash: GENESIS_HASH };
        await adapter.transaction((tx) => tx.insertInto('projects').values(row).execute());
        return toProject(row);
      } catch (err) {
        if (adapter.isUniqueViolation(err)) throw new ProjectExistsError(projectId);
        throw err;
      }
    },

    async getProject(projectId) {
      const r = await db.selectFrom('projects').selectAll().where('project_id', '=', projectId).executeTakeFirst();
      return r ? toProject(r) : undefined;
    },

    async listProjects() {
      const rows = await db.selectFrom('projects').selectAll().orderBy('project_id').execute();
      return rows.map(toProject);
    },

    async append(projectId, expectedHeadSeq, events, applyProjections, options) {
      if (events.length === 0) throw new TypeError('append: no events');
      const ids = new Set<string>();
      for (const e of events) {
        if (ids.has(e.eventId)) throw new DuplicateEventError(projectId, `${e.eventId} twice in one append`);
        ids.add(e.eventId);
        if ((e.status ?? 'accepted') === 'accepted' && e.rejectionCode != null) {
          throw new TypeError(`append: accepted event ${e.eventId} has a rejection code`);
        }
        if (e.erasedPersonalDigest != null && e.personal != null) throw new TypeError(`append: event ${e.eventId} has both personal data and an erased digest`);
      }
      const recordedAt = now();
      const toRows = (headSeq: number, headHash: string): EventRow[] => {
        let prev = headHash;
        return events.map((e, i) => {
          const seq = headSeq + i + 1;
          const sealed = e.personal === undefined || e.personal === null ? null : sealPersonal(e.personal, e.personalSalt);
          const payloadText = canonicalJson(e.payload ?? null);
          const row: EventRow = {
            project_id: projectId,
            seq,
            event_id: e.eventId,
            type: e.type,
            at: toIsoTime(e.at),
            recorded_at: e.recordedAt === undefined ? recordedAt : toIsoTime(e.recordedAt),
            recorded_by: e.recordedBy ?? null,
            payload: payloadText,
            personal: sealed ? canonicalJson(sealed.envelope) : null,
            personal_digest: sealed ? sealed.digest : (e.erasedPersonalDigest ?? null),
            status: e.status ?? 'accepted',
            rejection_code: e.rejectionCode ?? null,
            prev_hash: prev,
            hash: '',
          };
          // Hash the payload as read back from its stored text, so write and
          // verify see exactly the same value.
          row.hash = hashEvent({ ...row, payload: JSON.parse(payloadText) as unknown });
          prev = row.hash;
          return row;
        });
      };
      // The writes once the head is known: the events, the head move, and the projections' statements
      // (`compiled` false when applyProjections ran its own instead of returning them).
      const writesFor = async (q: Kysely<Database>, rows: EventRow[], headSeq: number, out: StoredEvent[]) => {
        const writes: CompiledQuery[] = [];
        for (let i = 0; i < rows.length; i += CHUNK) writes.push(q.insertInto('events').values(rows.slice(i, i + CHUNK)).compile());
        const last = rows[rows.length - 1]!;
        const headAt = writes.length;
        writes.push(q.updateTable('projects')
          .set({ head_seq: last.seq, head_hash: last.hash })
          .where('project_id', '=', projectId).where('head_seq', '=', headSeq)
          .compile());
        const projections = applyProjections ? await applyProjections(q as Transaction<Database>, out) : [];
        if (projections) writes.push(...projections);
        return { writes, headAt, last, compiled: projections !== undefined };
      };
      let stored: StoredEvent[] = [];
      const pipelined = options?.expectedHeadHash !== undefined ? adapter.pipelined : undefined;
      if (pipelined) {
        const rows = toRows(expectedHeadSeq, options!.expectedHeadHash!);
        const out = rows.map(toStoredEvent);
        const { writes, last, compiled } = await writesFor(db, rows, expectedHeadSeq, out);
        if (!compiled) throw new TypeError('append: a pipelined append needs projections returned as compiled statements');
        // A stale head fails the transaction: the head row must now say what this append wrote.
        writes.push(pipelined.headGuard(projectId, last.seq, last.hash));
        const notify = adapter.notifyStatement({ projectId, headSeq: last.seq });
        try {
          await pipelined.run(writes, notify ? [notify] : []);
        } catch (err) {
          // Someone else took the next seq, or the head was not where the cache thought: a lost race.
          if (pipelined.lostRace(err)) throw new ConcurrencyError(projectId, expectedHeadSeq, -1);
          if (adapter.isUniqueViolation(err)) throw new DuplicateEventError(projectId, String((err as Error).message));
          throw err;
        }
        stored = out;
      } else try {
        stored = await adapter.transaction(async (tx) => {
          const head = await adapter.lockProject(tx, projectId);
          if (!head) throw new ProjectNotFoundError(projectId);
          const headSeq = Number(head.head_seq);
          if (headSeq !== expectedHeadSeq) throw new ConcurrencyError(projectId, expectedHeadSeq, headSeq);
          const rows = toRows(headSeq, head.head_hash);
          const out = rows.map(toStoredEvent);
          const { writes, headAt } = await writesFor(tx, rows, headSeq, out);
          const results = await executeAll(tx, writes);
          // Cannot happen while lockProject holds the lock; kept as a tripwire.
          if (Number(results[headAt]?.numAffectedRows ?? 0) !== 1) throw new ConcurrencyError(projectId, expectedHeadSeq, -1);
          return out;
        });
      } catch (err) {
        if (adapter.isUniqueViolation(err)) throw new DuplicateEventError(projectId, String((err as Error).message));
        throw err;
      }
      if (!pipelined) {
        // Announced after the commit, in a transaction of its own (see notifyStatement).
        const notify = adapter.notifyStatement({ projectId, headSeq: stored[stored.length - 1]!.seq });
        if (notify) await db.executeQuery(notify).catch(() => {});
      }
      adapter.afterCommit({ projectId, headSeq: stored[stored.length - 1]!.seq });
      return stored;
    },

    async *readEvents(projectId, range = {}) {
      for await (const r of inSeqOrder(range, (after, limit) => eventsAfter(projectId, after, limit, range.toSeq).selectAll().execute())) yield toStoredEvent(r);
    },

    async *replayEvents(projectId, range = {}) {
      const columns = ['seq', 'event_id', 'type', 'at', 'payload', 'personal', 'personal_digest', 'hash'] as const;
      for await (const r of inSeqOrder(range, (after, limit) => eventsAfter(projectId, after, limit, range.toSeq).select(columns).execute())) yield toReplayedEvent(r);
    },

    knownHead: (projectId) => adapter.knownHead(projectId),

    async head(projectId) {
      const r = await db.selectFrom('projects').select(['head_seq', 'head_hash']).where('project_id', '=', projectId).executeTakeFirst();
      if (!r) throw new ProjectNotFoundError(projectId);
      adapter.sawHead(projectId, Number(r.head_seq));
      return { seq: Number(r.head_seq), hash: r.head_hash };
    },

    findEvents(projectId, wanted) {
      // An id PostgreSQL text cannot hold (a NUL) was never stored: asking for it would be an error there.
      return eventsWhere(projectId, 'event_id', wanted.filter((id) => !id.includes('\u0000')));
    },

    eventsAt: (projectId, seqs) => eventsWhere(projectId, 'seq', seqs),

    async verifyChain(projectId) {
      // Snapshot of the head first: appends landing during verification are
      // beyond it and ignored, so a live project verifies without a lock.
      const head = await store.head(projectId);
      const recorded = new Set((await db.selectFrom('erasures').select('seq').where('project_id', '=', projectId).execute()).map((r) => Number(r.seq)));
      let expectedSeq = 1;
      let prev = GENESIS_HASH;
      let count = 0;
      const batch = 1000;
      let after = 0;
      for (;;) {
        const rows = await db.selectFrom('events').selectAll()
          .where('project_id', '=', projectId).where('seq', '>', after).where('seq', '<=', head.seq)
          .orderBy('seq').limit(batch).execute();
        for (const r of rows) {
          const seq = Number(r.seq);
          if (seq !== expectedSeq) return { ok: false, seq: expectedSeq, expected: `seq ${expectedSeq}`, found: `seq ${seq}`, reason: 'gap' };
          if (r.prev_hash !== prev) return { ok: false, seq, expected: prev, found: r.prev_hash, reason: 'prev_hash' };
          let payload: unknown;
          try {
            payload = JSON.parse(r.payload);
          } catch {
            return { ok: false, seq, expected: 'JSON payload', found: r.payload.slice(0, 80), reason: 'payload' };
          }
          const recomputed = hashEvent({ ...r, seq, payload });
          if (recomputed !== r.hash) return { ok: false, seq, expected: recomputed, found: r.hash, reason: 'hash' };
          if (r.personal === null && r.personal_digest !== null && !recorded.has(seq)) {
            return { ok: false, seq, expected: 'an erasure record for a blanked personal', found: 'personal NULL without an erasure record', reason: 'personal-erased-without-record' };
          }
          if (r.personal !== null) {
            let digest: string | null = null;
            try {
              const env = JSON.parse(r.personal) as PersonalEnvelope;
              digest = personalDigest(env.salt, env.data);
            } catch {
              digest = null;
            }
            if (digest !== r.personal_digest) {
              return { ok: false, seq, expected: String(r.personal_digest), found: String(digest), reason: 'personal_digest' };
            }
          }
          prev = r.hash;
          expectedSeq++;
          count++;
        }
        if (rows.length < batch) break;
        after = Number(rows[rows.length - 1]!.seq);
      }
      if (count !== head.seq) return { ok: false, seq: expectedSeq, expected: `seq ${expectedSeq}`, found: 'end of log', reason: 'gap' };
      if (prev !== head.hash) return { ok: false, seq: head.seq, expected: prev, found: head.hash, reason: 'head' };
      return { ok: true, count, head };
    },

    async erasePersonal(projectId, seqs, options = {}) {
      let n = 0;
      const erasedAt = options.erasedAt ?? now();
      await adapter.transaction(async (tx) => {
        for (let i = 0; i < seqs.length; i += CHUNK) {
          const chunk = seqs.slice(i, i + CHUNK);
          // The record first: the database lets personal go to NULL only on a row that has one.
          const present = await tx.selectFrom('events').select('seq')
            .where('project_id', '=', projectId).where('seq', 'in', chunk).where('personal', 'is not', null).execute();
          const blank = new Set(present.map((x) => Number(x.seq)));
          for (const seq of chunk) {
            const personal = options.overlay?.get(seq);
            // A given overlay replaces the one recorded (a second customer of an event already blanked);
            // without one, a row being blanked is recorded with `null` and an existing record is kept.
            if (personal !== undefined) {
              await tx.insertInto('erasures').values({ project_id: projectId, seq, personal, erased_at: erasedAt })
                .onConflict((oc) => oc.columns(['project_id', 'seq']).doUpdateSet({ personal, erased_at: erasedAt })).execute();
            } else if (blank.has(seq)) {
              await tx.insertInto('erasures').values({ project_id: projectId, seq, personal: 'null', erased_at: erasedAt })
                .onConflict((oc) => oc.columns(['project_id', 'seq']).doNothing()).execute();
            }
          }
          if (present.length === 0) continue;
          const r = await tx.updateTable('events').set({ personal: null })
            .where('project_id', '=', projectId).where('seq', 'in', present.map((x) => Number(x.seq)))
            .where('personal', 'is not', null)
            .executeTakeFirst();
          n += Number(r.numUpdatedRows);
        }
      });
      return n;
    },

    async unexplainedErasures(projectId) {
      const rows = await db.selectFrom('events').select('events.seq')
        .leftJoin('erasures', (j) => j.onRef('erasures.project_id', '=', 'events.project_id').onRef('erasures.seq', '=', 'events.seq'))
        .where('events.project_id', '=', projectId).where('events.personal', 'is', null).where('events.personal_digest', 'is not', null)
        .where('erasures.seq', 'is', null).orderBy('events.seq').execute();
      return rows.map((r) => Number(r.seq));
    },

    scrub: () => adapter.scrub(),

    transaction: (fn) => adapter.transaction(fn),
    serialised: (projectId, fn) => adapter.serialise(`guishu:${projectId}`, fn),
    hearsOtherProcesses: adapter.hearsOtherProcesses,
    ...projectionStore(adapter),
    ...logStore(adapter),
    ...auditStore(adapter),
    ...checkpointStore(adapter, now),
    ...accountsStore(adapter),
    ...notificationReadStore(adapter),
    listen: (projectId, cb) => adapter.listen(projectId, cb),
    close: () => adapter.close(),
  };
  return store;
}
