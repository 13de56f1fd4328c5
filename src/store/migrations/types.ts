import type { Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

// Migrations see an untyped Kysely: the Database type describes the schema
// after ALL migrations, not at this step.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MigrationDb = Kysely<any>;

/**
 * The part of the schema history that differs between databases — triggers,
 * their functions, a column type — written once per dialect
 * (src/store/sqlite/ddl.ts, src/store/postgres/ddl.ts), so a migration never
 * asks which database it runs on. Each method belongs to the migration named
 * in its comment and is as landed as that migration: its SQL never changes (a
 * database that ran it will not run it again); a new difference is a new
 * method, used by a new migration.
 */
export interface MigrationDdl {
  readonly dialect: DialectName;
  /**
   * In each migration's transaction, before anything else: serialises
   * migrators across processes. PostgreSQL: a transaction-scoped advisory
   * lock per schema; SQLite: nothing (BEGIN IMMEDIATE holds the write lock).
   */
  lockMigrations(tx: MigrationDb): Promise<void>;
  /**
   * Migration 1: `events` is append-only. The one permitted UPDATE is erasure
   * (`personal` set to NULL, every other column unchanged); DELETE (and
   * PostgreSQL's TRUNCATE) refused.
   */
  eventsAppendOnly(db: MigrationDb): Promise<void>;
  /** Migration 2: `audit_log` is append-only (UPDATE, DELETE and PostgreSQL's TRUNCATE refused). */
  auditLogAppendOnly(db: MigrationDb): Promise<void>;
  /**
   * Migration 3: the triggers on report_masks that keep report_mask_shapes
   * (one row per shape in use, counting its masks), and the counts of the
   * masks already there.
   */
  reportMaskShapes(db: MigrationDb): Promise<void>;
  /** Migration 4: the type of a binary column (checkpoints.body; migration 8: checkpoint_parts.body too): SQLite BLOB, PostgreSQL BYTEA. */
  readonly binaryType: 'blob' | 'bytea';
  /** Migration 5: the erasure exception of the events guard needs an `erasures` row for the event. */
  eventsErasureGuard(db: MigrationDb): Promise<void>;
}

/**
 * One schema step. Versions are strictly increasing integers; a migration
 * that has landed on main is never edited (old databases would not re-run it):
 * add a new one instead.
 */
export interface Migration {
  version: number;
  name: string;
  /** `ddl`: what differs between the databases (the store's dialect supplies it). */
  up(db: MigrationDb, ddl: MigrationDdl): Promise<void>;
}
