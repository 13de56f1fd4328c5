// PostgreSQL's side of the schema history (the interface: MigrationDdl in
// src/store/migrations/types.ts). LANDED DDL — NEVER EDIT: each method is
// part of the migration it names, and a database that has applied that
// migration never runs it again. A new difference is a new method.
import { sql } from 'kysely';
import type { MigrationDb, MigrationDdl } from '../migrations/types.js';

/** Migration 3: the mask-key rule as a regular expression, and the shape columns. */
const MASK_VALID = `mask_key ~ '^[0-9]*\\|[1-9][0-9]*\\|[0-9]*$'`;
const MASK_SHAPE = `length(split_part(mask_key, '|', 1)) AS prefix_len, split_part(mask_key, '|', 2)::integer AS hidden`;

export const postgresDdl: MigrationDdl = {
  dialect: 'postgres',

  async lockMigrations(tx: MigrationDb) {
    await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ':guishu_migrations'))`.execute(tx);
  },

  // Compares whole rows minus `personal`, so new columns are covered without touching the function.
  async eventsAppendOnly(db: MigrationDb) {
    await sql.raw(`CREATE FUNCTION guishu_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND NEW.personal IS NULL
             AND (to_jsonb(NEW) - 'personal') = (to_jsonb(OLD) - 'personal') THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'guishu: events is append-only (% refused; only personal may be set to NULL)', TG_OP
            USING ERRCODE = 'restrict_violation';
        END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        FOR EACH ROW EXECUTE FUNCTION guishu_events_guard()`).execute(db);
    await sql.raw(`CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION guishu_events_guard()`).execute(db);
    await sql.raw(`CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION guishu_events_guard()`).execute(db);
  },

  async auditLogAppendOnly(db: MigrationDb) {
    await sql.raw(`CREATE FUNCTION guishu_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'guishu: audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
        END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION guishu_audit_guard()`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION guishu_audit_guard()`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION guishu_audit_guard()`).execute(db);
  },

  // Statement triggers over transition tables, one upsert per shape per statement — a row trigger
  // would update the same counter row once per mask, and within one transaction (a rebuild deletes
  // every mask of the project) each update walks the row's growing version chain.
  async reportMaskShapes(db: MigrationDb) {
    // `SET search_path FROM CURRENT`: the functions find report_mask_shapes in
    // the schema they were created in, whatever the firing session's path.
    const add = (rows: string) => `INSERT INTO report_mask_shapes AS s (project_id, prefix_len, hidden, masks)
            SELECT project_id, ${MASK_SHAPE}, count(*)::integer FROM ${rows} WHERE ${MASK_VALID} GROUP BY 1, 2, 3
            ON CONFLICT (project_id, prefix_len, hidden) DO UPDATE SET masks = s.masks + excluded.masks;`;
    const remove = (rows: string) => `WITH gone AS (
              SELECT project_id, ${MASK_SHAPE}, count(*)::integer AS n FROM ${rows} WHERE ${MASK_VALID} GROUP BY 1, 2, 3)
            UPDATE report_mask_shapes s SET masks = s.masks - g.n FROM gone g
            WHERE s.project_id = g.project_id AND s.prefix_len = g.prefix_len AND s.hidden = g.hidden;
            DELETE FROM report_mask_shapes WHERE masks <= 0 AND project_id IN (SELECT DISTINCT project_id FROM ${rows});`;
    const fn = (name: string, body: string) => sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
        BEGIN
          ${body}
          RETURN NULL;
        END $$`).execute(db);
    await fn('guishu_mask_shapes_insert', add('new_masks'));
    await fn('guishu_mask_shapes_delete', remove('old_masks'));
    await fn('guishu_mask_shapes_update', remove('old_masks') + add('new_masks'));
    await fn('guishu_mask_shapes_truncate', 'DELETE FROM report_mask_shapes;');
    await sql.raw(`CREATE TRIGGER report_masks_shape_insert AFTER INSERT ON report_masks
        REFERENCING NEW TABLE AS new_masks FOR EACH STATEMENT EXECUTE FUNCTION guishu_mask_shapes_insert()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_masks_shape_delete AFTER DELETE ON report_masks
        REFERENCING OLD TABLE AS old_masks FOR EACH STATEMENT EXECUTE FUNCTION guishu_mask_shapes_delete()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_masks_shape_update AFTER UPDATE ON report_masks
        REFERENCING OLD TABLE AS old_masks NEW TABLE AS new_masks FOR EACH STATEMENT EXECUTE FUNCTION guishu_mask_shapes_update()`).execute(db);
    await sql.raw(`CREATE TRIGGER report_masks_shape_truncate AFTER TRUNCATE ON report_masks
        FOR EACH STATEMENT EXECUTE FUNCTION guishu_mask_shapes_truncate()`).execute(db);
    await sql.raw(`INSERT INTO report_mask_shapes (project_id, prefix_len, hidden, masks)
        SELECT project_id, ${MASK_SHAPE}, count(*)::integer FROM report_masks WHERE ${MASK_VALID} GROUP BY 1, 2, 3`).execute(db);
  },

  binaryType: 'bytea',

  async eventsErasureGuard(db: MigrationDb) {
    await sql.raw(`CREATE OR REPLACE FUNCTION guishu_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND NEW.personal IS NULL
             AND (to_jsonb(NEW) - 'personal') = (to_jsonb(OLD) - 'personal')
             AND EXISTS (SELECT 1 FROM erasures x WHERE x.project_id = OLD.project_id AND x.seq = OLD.seq) THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'guishu: events is append-only (% refused; only personal may be set to NULL, and only with an erasure record)', TG_OP
            USING ERRCODE = 'restrict_violation';
        END $$`).execute(db);
  },
};
