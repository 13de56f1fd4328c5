import type { CompiledQuery, QueryResult, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** A connection that can send several statements before reading their answers (the PostgreSQL client's pipelining). */
export interface PipeliningConnection {
  executeMany(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]>;
}

/**
 * Runs compiled statements in order on the transaction's connection. On
 * PostgreSQL they go out together and cost one round trip, not one each (a
 * failure aborts the transaction, so the later ones fail and nothing commits);
 * SQLite runs them one by one (in process, there is no round trip to save).
 */
export async function executeAll(tx: Transaction<Database>, queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
  if (queries.length === 0) return [];
  const pipelines = await tx.getExecutor().provideConnection(async (conn) => typeof (conn as Partial<PipeliningConnection>).executeMany === 'function');
  if (pipelines) return tx.getExecutor().provideConnection((conn) => pipelined(conn as unknown as PipeliningConnection, queries));
  const out: QueryResult<unknown>[] = [];
  // Through the executor, like any other query (plugins and taps see it).
  for (const q of queries) out.push(await tx.executeQuery(q));
  return out;
}

/**
 * Sees every statement that goes out pipelined (they bypass Kysely's
 * executor); tests and diagnostics count statements with it.
 */
export const pipelineTap: { onStatement: ((sql: string) => void) | null } = { onStatement: null };

export function tapStatements(queries: readonly CompiledQuery[]): void {
  const tap = pipelineTap.onStatement;
  if (tap) for (const q of queries) tap(q.sql);
}

export function pipelined(conn: PipeliningConnection, queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
  tapStatements(queries);
  return conn.executeMany(queries);
}
