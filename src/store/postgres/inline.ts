import type { CompiledQuery } from 'kysely';

/**
 * One SQL text from compiled statements, their parameters written as
 * literals, for PostgreSQL's simple query protocol: a whole transaction goes
 * to the server as one message (one socket write, one round trip). Only for
 * a server with standard_conforming_strings on (checked when the store
 * opens), where a quoted literal's only special character is the quote.
 */
export function inlineStatements(statements: readonly CompiledQuery[]): string {
  return statements.map((q) => q.sql.replace(/\$(\d+)/g, (_m, n: string) => literal(q.parameters[Number(n) - 1], n))).join(';\n');
}

export function literal(value: unknown, position = '?'): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`parameter $${position}: ${value} has no SQL literal`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'string':
      if (value.includes('\u0000')) throw new TypeError(`parameter $${position}: text with a NUL character`);
      return `'${value.replace(/'/g, "''")}'`;
    default:
      if (value instanceof Date) return `'${value.toISOString()}'`;
      throw new TypeError(`parameter $${position}: no SQL literal for a ${Object.prototype.toString.call(value)}`);
  }
}
