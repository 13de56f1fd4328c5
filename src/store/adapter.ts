import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { DialectName, MigrationDdl } from './migrations/types.js';

/** What a live subscriber is told after a commit: the project's new head. */
export interface HeadNotice {
  projectId: string;
  headSeq: number;
}

export type Unlisten = () => Promise<void>;

/** An append sent as one message (PostgreSQL): the writes, then a guard that the head is where they left it. */
export interface PipelinedAppend {
  /**
   * Runs the statements as one transaction in a single round trip (BEGIN …
   * COMMIT pipelined); any failure rolls all of them back and is thrown.
   * `afterCommit` (the notice) runs after COMMIT, on its own.
   */
  run(statements: readonly CompiledQuery[], afterCommit: readonly CompiledQuery[]): Promise<void>;
  /** A statement that fails the transaction unless the project's head row says (seq, hash). */
  headGuard(projectId: string, seq: number, hash: string): CompiledQuery;
  /**
   * Whether a failed run lost a race: another writer took the next seq (the
   * events primary key) or the head was not where the caller thought (the guard).
   */
  lostRace(err: unknown): boolean;
}

/**
 * The few things that differ between databases. Everything else (append,
 * verify, reads) is written once in event-store.ts over Kysely. Each
 * implementation lives in its own folder, like Kysely's dialects.
 */
export interface StoreAdapter {
  readonly dialect: DialectName;
  readonly db: Kysely<Database>;
  /** What the migrations write differently on this database (triggers, a column type, the migrators' lock). */
  readonly ddl: MigrationDdl;
  /**
   * A write transaction. SQLite: BEGIN IMMEDIATE (takes the write lock up
   * front, so two processes never deadlock upgrading a read lock).
   * PostgreSQL: READ COMMITTED; per-project serialisation is lockProject's job.
   */
  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: read the project's head and hold it until commit so
   * no other writer can append to the project meanwhile.
   */
  lockProject(tx: Transaction<Database>, projectId: string): Promise<{ head_seq: number; head_hash: string } | undefined>;
  /**
   * The one-message append (EventStore.append with expectedHeadHash).
   * Absent where there is no round trip to save (SQLite).
   */
  pipelined?: PipelinedAppend;
  /**
   * The statement that announces a new head, or null when the database has
   * none. It runs after the append commits, in a transaction of its own:
   * PostgreSQL serialises the commits of transactions that NOTIFY on one
   * global lock, which inside the append would queue every project's fsync
   * behind every other's (no group commit). A crash between the two loses a
   * notice, never an event: listeners catch up from the head on their next read.
   */
  notifyStatement(notice: HeadNotice): CompiledQuery | null;
  /** After commit (for adapters whose database does not deliver notices itself). */
  afterCommit(notice: HeadNotice): void;
  listen(projectId: string, cb: (notice: HeadNotice) => void): Promise<Unlisten>;
  /**
   * The project's head as this process last committed or read it, when the
   * adapter can tell cheaply that nothing else has written since (SQLite:
   * `PRAGMA data_version` unchanged); undefined when it cannot (PostgreSQL,
   * another connection wrote): then ask the database.
   */
  knownHead(projectId: string): number | undefined;
  /** Records a head read from the database (so knownHead can answer next time). */
  sawHead(projectId: string, seq: number): void;
  /**
   * Runs fn while holding the named lock across processes, writers of one
   * name queueing: PostgreSQL a transaction-scoped advisory lock (at most a
   * few held per process, leaving pool connections for the work itself);
   * SQLite runs fn as it is (BEGIN IMMEDIATE already serialises writers).
   * fn must not use the lock's transaction: it opens its own.
   */
  serialise<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** A write transaction that holds the named lock until it ends (PostgreSQL: advisory; SQLite: the write lock BEGIN IMMEDIATE takes). */
  lockedTransaction<T>(key: string, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Whether `listen` hears other processes' appends (PostgreSQL's NOTIFY), not only this one's. */
  readonly hearsOtherProcesses: boolean;
  /** After an erasure: SQLite checkpoints and truncates the WAL; PostgreSQL nothing (see docs/store.md). */
  scrub(): Promise<void>;
  isUniqueViolation(err: unknown): boolean;
  close(): Promise<void>;
}
