// SQLite's side of the schema history (the interface: MigrationDdl in
// src/store/migrations/types.ts). LANDED DDL — NEVER EDIT: each method is
// part of the migration it names, and a database that has applied that
// migration never runs it again. A new difference is a new method.
import { sql } from 'kysely';
import type { MigrationDb, MigrationDdl } from '../migrations/types.js';

/**
 * The columns of `events` the append-only trigger compares (all but
 * `personal`). SQLite must list them: a later migration that adds a column to
 * `events` must drop and recreate the trigger with the new column too.
 */
const EVENTS_COLUMNS_BUT_PERSONAL = ['project_id', 'seq', 'event_id', 'type', 'at', 'recorded_at', 'recorded_by', 'payload',
  'personal_digest', 'status', 'rejection_code', 'prev_hash', 'hash'];
const unchangedButPersonal = () => EVENTS_COLUMNS_BUT_PERSONAL.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ');

/** Migration 3: the shape of mask key `k` (an expression over NEW./OLD.mask_key). CAST keeps the leading integer of '3|88888'. */
const maskPrefix = (k: string) => `instr(${k}, '|') - 1`;
const maskHidden = (k: string) => `CAST(substr(${k}, instr(${k}, '|') + 1) AS INTEGER)`;
/** Exactly two '|', only digits otherwise, and the hidden count starts with 1–9. */
const maskValid = (k: string) =>
  `(${k} GLOB '*|[1-9]*|*' AND NOT ${k} GLOB '*[^0-9|]*' AND length(${k}) - length(replace(${k}, '|', '')) = 2)`;

export const sqliteDdl: MigrationDdl = {
  dialect: 'sqlite',

  // BEGIN IMMEDIATE (the adapter's transactions) already holds the write lock.
  async lockMigrations() {},

  async eventsAppendOnly(db: MigrationDb) {
    await sql.raw(`CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        WHEN NOT (NEW.personal IS NULL AND ${unchangedButPersonal()})
        BEGIN SELECT RAISE(ABORT, 'guishu: events is append-only (only personal may be set to NULL)'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'guishu: events is append-only (DELETE refused)'); END`).execute(db);
  },

  async auditLogAppendOnly(db: MigrationDb) {
    await sql.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'guishu: audit_log is append-only (UPDATE refused)'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'guishu: audit_log is append-only (DELETE refused)'); END`).execute(db);
  },

  // Row triggers: an upsert per row, in place.
  async reportMaskShapes(db: MigrationDb) {
    const add = (k: string, p: string) => `INSERT INTO report_mask_shapes (project_id, prefix_len, hidden, masks)
            VALUES (${p}, ${maskPrefix(k)}, ${maskHidden(k)}, 1)
            ON CONFLICT (project_id, prefix_len, hidden) DO UPDATE SET masks = masks + 1;`;
    const remove = (k: string, p: string) => {
      const where = `project_id = ${p} AND prefix_len = ${maskPrefix(k)} AND hidden = ${maskHidden(k)}`;
      return `UPDATE report_mask_shapes SET masks = masks - 1 WHERE ${where};
            DELETE FROM report_mask_shapes WHERE ${where} AND masks <= 0;`;
    };
    await sql.raw(`CREATE TRIGGER report_masks_shape_insert AFTER INSERT ON report_masks
        WHEN ${maskValid('NEW.mask_key')}
        BEGIN ${add('NEW.mask_key', 'NEW.project_id')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_masks_shape_delete AFTER DELETE ON report_masks
        WHEN ${maskValid('OLD.mask_key')}
        BEGIN ${remove('OLD.mask_key', 'OLD.project_id')} END`).execute(db);
    // No writer updates a report_masks row (all its columns are key), but if one did:
    await sql.raw(`CREATE TRIGGER report_masks_shape_update_old AFTER UPDATE OF project_id, mask_key ON report_masks
        WHEN ${maskValid('OLD.mask_key')}
        BEGIN ${remove('OLD.mask_key', 'OLD.project_id')} END`).execute(db);
    await sql.raw(`CREATE TRIGGER report_masks_shape_update_new AFTER UPDATE OF project_id, mask_key ON report_masks
        WHEN ${maskValid('NEW.mask_key')}
        BEGIN ${add('NEW.mask_key', 'NEW.project_id')} END`).execute(db);
    await sql.raw(`INSERT INTO report_mask_shapes (project_id, prefix_len, hidden, masks)
        SELECT project_id, ${maskPrefix('mask_key')}, ${maskHidden('mask_key')}, count(*) FROM report_masks
        WHERE ${maskValid('mask_key')} GROUP BY 1, 2, 3`).execute(db);
  },

  binaryType: 'blob',

  // The columns as in migration 1.
  async eventsErasureGuard(db: MigrationDb) {
    await sql.raw('DROP TRIGGER events_no_update').execute(db);
    await sql.raw(`CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        WHEN NOT (NEW.personal IS NULL AND ${unchangedButPersonal()}
          AND EXISTS (SELECT 1 FROM erasures x WHERE x.project_id = OLD.project_id AND x.seq = OLD.seq))
        BEGIN SELECT RAISE(ABORT, 'guishu: events is append-only (only personal may be set to NULL, and only with an erasure record)'); END`).execute(db);
  },
};
