import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver,
  type Kysely, type QueryCompiler, type QueryResult, type TransactionSettings,
} from 'kysely';
import type { ReservedSql, Sql } from 'postgres';

/**
 * A minimal Kysely dialect over the `postgres` (porsager) client. Kept rather
 * than kysely-postgres-js: its majors for kysely 0.28 lack what this adds
 * (executeMany, the COMMIT-answered-ROLLBACK check, a failed ROLLBACK
 * reported as itself) and measured slower here — docs/store.md, "Running on PostgreSQL".
 *
 * Each Kysely connection is a connection reserved from the postgres pool
 * (`sql.reserve()`), so a Kysely transaction runs on one server session.
 */
export class PostgresJsDialect implements Dialect {
  constructor(private readonly sql: Sql) {}
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PostgresJsDriver(this.sql);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PostgresJsDriver implements Driver {
  constructor(private readonly sql: Sql) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PostgresJsConnection(await this.sql.reserve());
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = 'begin';
    if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) text += ` ${settings.accessMode}`;
    await conn.executeQuery(CompiledQuery.raw(text));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    const { rows } = await conn.executeQuery<{ command?: string }>(CompiledQuery.raw('commit'));
    // COMMIT of an aborted transaction answers ROLLBACK: never report success then.
    if (rows[0]?.command === 'ROLLBACK') throw new Error('transaction was rolled back by the server (an earlier statement failed)');
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`savepoint "${name.replace(/"/g, '""')}"`));
  }

  async rollbackToSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`rollback to savepoint "${name.replace(/"/g, '""')}"`));
  }

  async releaseSavepoint(conn: DatabaseConnection, name: string): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw(`release savepoint "${name.replace(/"/g, '""')}"`));
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    (conn as PostgresJsConnection).release();
  }

  async destroy(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

class PostgresJsConnection implements DatabaseConnection {
  constructor(private readonly reserved: ReservedSql) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // postgres infers parameter types from JS values (numbers go as "unknown"
    // and the server picks the column's type), like pg does.
    return toResult<R>(await this.reserved.unsafe(compiled.sql, compiled.parameters as never[]));
  }

  /** Statements issued together: postgres writes them all before reading the answers (one round trip). */
  async executeMany(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    const pending = queries.map((q) => this.reserved.unsafe(q.sql, q.parameters as never[]));
    // Every promise is awaited (a failed one must not go unhandled while an earlier one is awaited).
    const settled = await Promise.allSettled(pending);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => toResult((r as PromiseFulfilledResult<Awaited<(typeof pending)[number]>>).value));
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const cursor = this.reserved.unsafe(compiled.sql, compiled.parameters as never[]).cursor(chunkSize);
    for await (const rows of cursor) yield { rows: rows as R[] };
  }

  release(): void {
    this.reserved.release();
  }
}

function toResult<R>(result: { command?: string; count?: number } & Iterable<unknown>): QueryResult<R> {
  const command = result.command?.toUpperCase();
  if (command === 'COMMIT' || command === 'ROLLBACK') return { rows: [{ command } as R] };
  const affects = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return {
    rows: [...result] as R[],
    ...(affects ? { numAffectedRows: BigInt(result.count ?? 0) } : {}),
  };
}

