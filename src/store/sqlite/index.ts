import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql as ksql, type DatabaseConnection, type Driver, type Transaction } from 'kysely';
import type { StoreAdapter, HeadNotice, Unlisten } from '../adapter.js';
import type { Database } from '../schema.js';
import { isStorageFull, StorageUnavailableError } from '../failures.js';
import { sqliteDdl } from './ddl.js';

export interface SqliteStoreConfig {
  kind: 'sqlite';
  /** Folder holding guishu.db. Default: ./data (the server passes GUISHU_DATA: src/config.ts). */
  dataDir?: string;
  /** Full path of the database file; overrides dataDir. ':memory:' works for throwaway use. */
  file?: string;
  /** How long a writer waits for another process's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export const SQLITE_FILE_NAME = 'guishu.db';

/**
 * Kysely's SQLite driver begins with a plain BEGIN (deferred). A deferred
 * transaction that reads and then writes can fail with SQLITE_BUSY when another
 * process wrote in between, even with busy_timeout; BEGIN IMMEDIATE takes the
 * write lock first and waits for it under busy_timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(config: ConstructorParameters<typeof SqliteDriver>[0], private readonly raw: BetterSqlite3.Database) {
    super(config);
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  /**
   * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, an
   * I/O error): a ROLLBACK then fails with "cannot rollback - no transaction
   * is active", and that second error would hide the first (the caller must
   * see SQLITE_FULL to say the disk is full).
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.raw.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0], private readonly raw: BetterSqlite3.Database) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.raw);
  }
}

export function sqliteFilePath(config: SqliteStoreConfig): string {
  if (config.file) return config.file;
  const dir = resolve(config.dataDir ?? './data');
  mkdirSync(dir, { recursive: true });
  return join(dir, SQLITE_FILE_NAME);
}

/**
 * Opens the file in WAL mode. WAL: readers never block the writer.
 * synchronous=FULL: a committed append survives power loss (the log is the
 * system of record; NORMAL could lose the last commits). foreign_keys is off
 * by default in SQLite. On a full disk SQLite fails here with an error that
 * names its shared-memory file (SQLITE_IOERR_SHMSIZE) or SQLITE_FULL: it is
 * said in words, with the folder.
 */
function openFile(file: string, config: SqliteStoreConfig): BetterSqlite3.Database {
  let raw: BetterSqlite3.Database | undefined;
  try {
    raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
  // Deleted and overwritten content is zeroed in the file, so an erased phone does not linger in free
  // pages or cell slack (the erasure then checkpoints the WAL: EventStore.scrub). Cheaper than a VACUUM
  // after each erasure (docs/store.md, "Erasure leaves no trace in the file").
  raw.pragma('secure_delete = ON');
    raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(config.busyTimeoutMs ?? 5000))}`);
    return raw;
  } catch (err) {
    try {
      raw?.close();
    } catch {
      // the open failed: nothing more to release
    }
    const code = (err as { code?: unknown }).code;
    const where = file === ':memory:' ? 'memory' : `the data folder ${dirname(resolve(file))}`;
    if (isStorageFull(err) || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_TRUNCATE') {
      throw new StorageUnavailableError(`cannot open the database: the disk holding ${where} is full (${String(code)}); free some space there and start again`, String(code), { cause: err });
    }
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
      throw new StorageUnavailableError(`cannot open the database ${file} in ${where} (${String(code)}): check that the folder exists and is writable`, String(code), { cause: err });
    }
    throw err;
  }
}

/** Commits through any SQLite store of this process (two stores on one file see each other's at once). */
const localCommits = { epoch: 0 };

export function openSqliteAdapter(config: SqliteStoreConfig): StoreAdapter {
  const file = sqliteFilePath(config);
  const raw = openFile(file, config);
  // Kysely prepares every query it runs; the same few statements (append, head,
  // projection upserts, sessions) repeat on every request, so keep them prepared.
  // Nothing here iterates a statement (Kysely's stream()), which a shared one would forbid.
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const database = {
    close: () => raw.close(),
    prepare(sqlText: string) {
      // better-sqlite3 keeps a statement's last bound values until it is bound again: a kept statement
      // that wrote a checkpoint's header or a part would hold its megabytes for the life of the process.
      if (sqlText.startsWith('insert into "checkpoint')) return raw.prepare(sqlText);
      let stmt = prepared.get(sqlText);
      if (!stmt) {
        stmt = raw.prepare(sqlText);
        if (prepared.size >= 500) prepared.delete(prepared.keys().next().value!);
        prepared.set(sqlText, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: database as never }, raw) });
  // Heads this process committed or read, valid while no other connection has
  // written the file (data_version moves only on other connections' commits).
  const heads = new Map<string, number>();
  const readDataVersion = raw.prepare('PRAGMA data_version').pluck();
  let dataVersion = readDataVersion.get() as number;
  // Asked on every read; the answer is kept for the rest of the event loop's turn unless a store of
  // this process commits meanwhile (another process's commit is seen from the next turn on).
  let memoEpoch = -1;
  const othersWrote = () => {
    if (memoEpoch === localCommits.epoch) return false;
    const v = readDataVersion.get() as number;
    const changed = v !== dataVersion;
    if (changed) {
      dataVersion = v;
      heads.clear();
    }
    if (memoEpoch === -1) setImmediate(() => (memoEpoch = -1));
    memoEpoch = localCommits.epoch;
    return changed;
  };
  // In-process fan-out: SQLite has no LISTEN/NOTIFY. Other processes writing
  // the same file are not seen; the server is the only writer in practice.
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);

  return {
    dialect: 'sqlite',
    db,
    ddl: sqliteDdl,
    hearsOtherProcesses: false,
    transaction: (fn) => db.transaction().execute(fn),
    // BEGIN IMMEDIATE takes the database's write lock: writers are serialised already.
    serialise: (_key, fn) => fn(),
    lockedTransaction: (_key, fn) => db.transaction().execute(fn),
    async scrub() {
      await ksql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    },
    async lockProject(tx: Transaction<Database>, projectId: string) {
      // BEGIN IMMEDIATE already holds the database write lock: a plain read is stable.
      return tx.selectFrom('projects').select(['head_seq', 'head_hash']).where('project_id', '=', projectId).executeTakeFirst();
    },
    notifyStatement: () => null,
    afterCommit(notice: HeadNotice) {
      localCommits.epoch++;
      othersWrote();
      heads.set(notice.projectId, Math.max(heads.get(notice.projectId) ?? 0, notice.headSeq));
      emitter.emit('head', notice);
    },
    knownHead(projectId) {
      return othersWrote() ? undefined : heads.get(projectId);
    },
    sawHead(projectId, seq) {
      if (!othersWrote()) heads.set(projectId, seq);
    },
    async listen(projectId, cb): Promise<Unlisten> {
      const handler = (n: HeadNotice) => {
        if (n.projectId === projectId) cb(n);
      };
      emitter.on('head', handler);
      return async () => {
        emitter.off('head', handler);
      };
    },
    isUniqueViolation(err) {
      const code = (err as { code?: unknown } | null)?.code;
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
    },
    async close() {
      emitter.removeAllListeners();
      await db.destroy();
    },
  };
}
