import type { Kysely } from 'kysely';
import type { Migration, MigrationDdl } from './types.js';
import { m0001_initial } from './0001_initial.js';
import { m0002_accounts } from './0002_accounts.js';
import { m0003_report_mask_shapes } from './0003_report_mask_shapes.js';
import { m0004_checkpoints } from './0004_checkpoints.js';
import { m0005_erasure_guard } from './0005_erasure_guard.js';
import { m0006_session_logins } from './0006_session_logins.js';
import { m0007_notification_reads } from './0007_notification_reads.js';
import { m0008_checkpoint_parts } from './0008_checkpoint_parts.js';

export type { DialectName, Migration, MigrationDb, MigrationDdl } from './types.js';

/**
 * The one migration history, in order. Append new migrations at the end with
 * the next version number; never edit or reorder a landed one.
 */
export const MIGRATIONS: readonly Migration[] = [m0001_initial, m0002_accounts, m0003_report_mask_shapes, m0004_checkpoints, m0005_erasure_guard, m0006_session_logins, m0007_notification_reads, m0008_checkpoint_parts];

/** Runs `fn` in a transaction that serialises migrators (the adapter supplies it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MigrationTx = <T>(fn: (tx: Kysely<any>) => Promise<T>) => Promise<T>;

/**
 * Applies every pending migration, each in its own transaction together with
 * its schema_migrations row, so a crash leaves either all of a step or none
 * (both SQLite and PostgreSQL have transactional DDL). Concurrent boots are
 * serialised: SQLite by BEGIN IMMEDIATE, PostgreSQL by an advisory lock
 * (ddl.lockMigrations).
 * Returns the versions applied by this call (empty when up to date).
 */
export async function migrate(
  inTx: MigrationTx,
  ddl: MigrationDdl,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  checkOrder(migrations);
  const applied: number[] = [];
  for (const m of migrations) {
    const didApply = await inTx(async (tx) => {
      await ddl.lockMigrations(tx);
      await tx.schema.createTable('schema_migrations').ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
      const rows = await tx.selectFrom('schema_migrations').select(['version', 'name']).execute() as { version: number; name: string }[];
      const newest = Math.max(0, ...rows.map((r) => Number(r.version)));
      const known = new Set(migrations.map((x) => x.version));
      const unknown = rows.filter((r) => !known.has(Number(r.version)));
      if (unknown.length > 0) {
        // A database migrated by newer code: refuse rather than run old code on it.
        throw new Error(`guishu store: database has migrations this code does not know: ${unknown.map((r) => `${r.version} ${r.name}`).join(', ')} (newest ${newest})`);
      }
      if (rows.some((r) => Number(r.version) === m.version)) return false;
      await m.up(tx, ddl);
      await tx.insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, applied_at: new Date().toISOString() })
        .execute();
      return true;
    });
    if (didApply) applied.push(m.version);
  }
  return applied;
}

function checkOrder(migrations: readonly Migration[]): void {
  let prev = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= prev) {
      throw new Error(`guishu store: migrations out of order at version ${m.version}`);
    }
    prev = m.version;
  }
}
