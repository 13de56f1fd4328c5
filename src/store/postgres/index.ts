import postgres from 'postgres';
import { CompiledQuery, Kysely, sql as ksql, type Transaction } from 'kysely';
import { tapStatements, type PipeliningConnection } from '../pipeline.js';
import { inlineStatements } from './inline.js';
import type { StoreAdapter, HeadNotice, Unlisten } from '../adapter.js';
import type { Database } from '../schema.js';
import { PostgresJsDialect } from './dialect.js';
import { postgresDdl } from './ddl.js';

export interface PostgresStoreConfig {
  kind: 'postgres';
  /** postgres://user@host:port/db */
  url: string;
  /**
   * Schema to use (created if missing) instead of the connection's default.
   * Lets tests and several installs share one database.
   */
  schema?: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** LISTEN/NOTIFY channel. Default `guishu_events`. */
  channel?: string;
}

export const DEFAULT_CHANNEL = 'guishu_events';
const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgresAdapter(config: PostgresStoreConfig): Promise<StoreAdapter> {
  const schema = config.schema;
  if (schema !== undefined && !IDENT.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  const channel = config.channel ?? DEFAULT_CHANNEL;
  const client = postgres(config.url, {
    max: config.maxConnections ?? 10,
    idle_timeout: 30,
    // IF NOT EXISTS and friends send NOTICEs; they are not worth a console line.
    onnotice: () => {},
    // count(*) and other int8 results as numbers, like SQLite returns them
    // (the schema itself uses int4 only).
    types: { int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
    ...(schema ? { connection: { search_path: schema } } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresJsDialect(client) });
  if (schema) {
    // CREATE SCHEMA IF NOT EXISTS is not safe against itself: two processes
    // booting at once can both miss it and one fails on a unique index.
    await db.transaction().execute(async (tx) => {
      await ksql`select pg_advisory_xact_lock(hashtext(${`guishu_schema:${schema}`}))`.execute(tx);
      await ksql.raw(`create schema if not exists "${schema}"`).execute(tx);
    });
  }

  const conformingStrings = (await ksql<{ standard_conforming_strings: string }>`show standard_conforming_strings`.execute(db)).rows[0]?.standard_conforming_strings === 'on';

  // One LISTEN connection per store, fanned out in-process by project id.
  const subscribers = new Map<string, Set<(n: HeadNotice) => void>>();
  let listening: Promise<{ unlisten(): Promise<void> }> | undefined;
  const onNotify = (payload: string) => {
    let n: HeadNotice;
    try {
      const p = JSON.parse(payload) as { project_id?: unknown; head_seq?: unknown };
      if (typeof p.project_id !== 'string' || typeof p.head_seq !== 'number') return;
      n = { projectId: p.project_id, headSeq: p.head_seq };
    } catch {
      return;
    }
    for (const cb of subscribers.get(n.projectId) ?? []) cb(n);
  };

  // Advisory locks held at once by this process: each holds a pool connection while its work needs others.
  const lockSlots = new Slots(3);
  const lockedTransaction = <T>(key: string, fn: (tx: Transaction<Database>) => Promise<T>) =>
    db.transaction().execute(async (tx) => {
      await ksql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
      return fn(tx);
    });

  return {
    dialect: 'postgres',
    db,
    ddl: postgresDdl,
    hearsOtherProcesses: true,
    transaction: (fn) => db.transaction().execute(fn),
    async serialise(key, fn) {
      await lockSlots.acquire();
      try {
        return await lockedTransaction(key, () => fn());
      } finally {
        lockSlots.release();
      }
    },
    lockedTransaction,
    async scrub() {},
    async lockProject(tx: Transaction<Database>, projectId: string) {
      // Row lock on the stream row: concurrent appends to one project queue
      // here; under READ COMMITTED the row returned after the wait is the
      // latest committed one, so the head check below it is exact.
      return tx.selectFrom('projects').select(['head_seq', 'head_hash'])
        .where('project_id', '=', projectId).forUpdate().executeTakeFirst();
    },
    // Only where a quoted literal's one special character is the quote (the default since PostgreSQL 9.1).
    ...(conformingStrings ? {
      pipelined: {
        async run(statements: readonly CompiledQuery[], afterCommit: readonly CompiledQuery[]) {
          // Simple query protocol: BEGIN, the statements and COMMIT in one message. An error skips the
          // rest of the message and leaves the transaction aborted, so it is rolled back before the
          // connection goes back to the pool. `afterCommit` (the notice) runs after COMMIT, on its own.
          await db.getExecutor().provideConnection(async (c) => {
            const text = inlineStatements([CompiledQuery.raw('begin'), ...statements, CompiledQuery.raw('commit'), ...afterCommit]);
            try {
              tapStatements([...statements, ...afterCommit]);
              await (c as unknown as PipeliningConnection).executeMany([CompiledQuery.raw(text)]);
            } catch (err) {
              await c.executeQuery(CompiledQuery.raw('rollback')).catch(() => {});
              throw err;
            }
          });
        },
        // Divides by zero (22012) unless exactly one head row says (seq, hash).
        headGuard: (projectId: string, seq: number, hash: string) =>
          ksql`select 1 / (select count(*) from projects where project_id = ${projectId} and head_seq = ${seq} and head_hash = ${hash})::int as guard`.compile(db),
        lostRace: (err: unknown) =>
          (err as { constraint_name?: unknown } | null)?.constraint_name === 'events_pk' || (err as { code?: unknown } | null)?.code === '22012',
      },
    } : {}),
    notifyStatement(notice) {
      const payload = JSON.stringify({ project_id: notice.projectId, head_seq: notice.headSeq });
      return ksql`select pg_notify(${channel}, ${payload})`.compile(db);
    },
    afterCommit() {},
    // Another process may have appended: PostgreSQL is always asked.
    knownHead: () => undefined,
    sawHead() {},
    async listen(projectId, cb): Promise<Unlisten> {
      listening ??= client.listen(channel, onNotify);
      await listening;
      let set = subscribers.get(projectId);
      if (!set) subscribers.set(projectId, (set = new Set()));
      set.add(cb);
      return async () => {
        set.delete(cb);
        if (set.size === 0) subscribers.delete(projectId);
      };
    },
    isUniqueViolation(err) {
      return (err as { code?: unknown } | null)?.code === '23505';
    },
    async close() {
      subscribers.clear();
      if (listening) await (await listening).unlisten().catch(() => {});
      await db.destroy();
    },
  };
}

/** A counting semaphore (FIFO). */
class Slots {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
