import type { Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * One schema step. Versions are strictly increasing integers; a migration
 * that has landed on main is never edited (old databases would not re-run it):
 * add a new one instead.
 */
export interface Migration {
  version: number;
  name: string;
  // Migrations see an untyped Kysely: the Database type describes the schema
  // after ALL migrations, not at this step.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}
