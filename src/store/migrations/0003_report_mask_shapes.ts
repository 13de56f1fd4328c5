// The mask shapes in use per project (docs/store.md "Masked phones"). A mask
// key `prefix|hidden|suffix` has the shape (length of prefix, hidden); a full
// phone is looked up under the shapes its project actually holds (1–3 keys)
// instead of all 66 splits of 11 digits.
//
// `report_mask_shapes.masks` counts the report_masks rows of each shape; a
// shape's row exists while that count is > 0. Triggers on report_masks keep it,
// so every writer (the live projector, bulk import, rebuild, restore, the bench
// loader, a raw INSERT) maintains it without knowing about it, and the table is
// a pure function of report_masks: a rebuild (delete + rewrite report_masks)
// leaves exactly the rows a warm process has. Keys not of maskKey's form
// (digits|N≥1|digits) have no shape and are not counted, on both databases.
//
// SQLite: row triggers (an upsert per row, in place). PostgreSQL: statement
// triggers over transition tables, one upsert per shape per statement — a row
// trigger would update the same counter row once per mask, and within one
// transaction (a rebuild deletes every mask of the project) each update walks
// the row's growing version chain.
import { sql } from 'kysely';
import type { Migration } from './types.js';

/** SQLite: the shape of `k` (an expression over NEW./OLD.mask_key). CAST keeps the leading integer of '3|88888'. */
const sqlitePrefix = (k: string) => `instr(${k}, '|') - 1`;
const sqliteHidden = (k: string) => `CAST(substr(${k}, instr(${k}, '|') + 1) AS INTEGER)`;
/** Exactly two '|', only digits otherwise, and the hidden count starts with 1–9. */
const sqliteValid = (k: string) =>
  `(${k} GLOB '*|[1-9]*|*' AND NOT ${k} GLOB '*[^0-9|]*' AND length(${k}) - length(replace(${k}, '|', '')) = 2)`;

/** PostgreSQL: the same rule as a regular expression, and the shape columns. */
const PG_VALID = `mask_key ~ '^[0-9]*\\|[1-9][0-9]*\\|[0-9]*$'`;
const PG_SHAPE = `length(split_part(mask_key, '|', 1)) AS prefix_len, split_part(mask_key, '|', 2)::integer AS hidden`;

export const m0003_report_mask_shapes: Migration = {
  version: 3,
  name: 'report_mask_shapes',
  async up(db, dialect) {
    await db.schema.createTable('report_mask_shapes')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('prefix_len', 'integer', (c) => c.notNull().check(sql`prefix_len >= 0`))
      .addColumn('hidden', 'integer', (c) => c.notNull().check(sql`hidden >= 1`))
      .addColumn('masks', 'integer', (c) => c.notNull().check(sql`masks >= 0`))
      .addPrimaryKeyConstraint('report_mask_shapes_pk', ['project_id', 'prefix_len', 'hidden'])
      .execute();

    if (dialect === 'sqlite') {
      const add = (k: string, p: string) => `INSERT INTO report_mask_shapes (project_id, prefix_len, hidden, masks)
            VALUES (${p}, ${sqlitePrefix(k)}, ${sqliteHidden(k)}, 1)
            ON CONFLICT (project_id, prefix_len, hidden) DO UPDATE SET masks = masks + 1;`;
      const remove = (k: string, p: string) => {
        const where = `project_id = ${p} AND prefix_len = ${sqlitePrefix(k)} AND hidden = ${sqliteHidden(k)}`;
        return `UPDATE report_mask_shapes SET masks = masks - 1 WHERE ${where};
            DELETE FROM report_mask_shapes WHERE ${where} AND masks <= 0;`;
      };
      await sql.raw(`CREATE TRIGGER report_masks_shape_insert AFTER INSERT ON report_masks
        WHEN ${sqliteValid('NEW.mask_key')}
        BEGIN ${add('NEW.mask_key', 'NEW.project_id')} END`).execute(db);
      await sql.raw(`CREATE TRIGGER report_masks_shape_delete AFTER DELETE ON report_masks
        WHEN ${sqliteValid('OLD.mask_key')}
        BEGIN ${remove('OLD.mask_key', 'OLD.project_id')} END`).execute(db);
      // No writer updates a report_masks row (all its columns are key), but if one did:
      await sql.raw(`CREATE TRIGGER report_masks_shape_update_old AFTER UPDATE OF project_id, mask_key ON report_masks
        WHEN ${sqliteValid('OLD.mask_key')}
        BEGIN ${remove('OLD.mask_key', 'OLD.project_id')} END`).execute(db);
      await sql.raw(`CREATE TRIGGER report_masks_shape_update_new AFTER UPDATE OF project_id, mask_key ON report_masks
        WHEN ${sqliteValid('NEW.mask_key')}
        BEGIN ${add('NEW.mask_key', 'NEW.project_id')} END`).execute(db);
      await sql.raw(`INSERT INTO report_mask_shapes (project_id, prefix_len, hidden, masks)
        SELECT project_id, ${sqlitePrefix('mask_key')}, ${sqliteHidden('mask_key')}, count(*) FROM report_masks
        WHERE ${sqliteValid('mask_key')} GROUP BY 1, 2, 3`).execute(db);
    } else {
      // `SET search_path FROM CURRENT`: the functions find report_mask_shapes in
      // the schema they were created in, whatever the firing session's path.
      const add = (rows: string) => `INSERT INTO report_mask_shapes AS s (project_id, prefix_len, hidden, masks)
            SELECT project_id, ${PG_SHAPE}, count(*)::integer FROM ${rows} WHERE ${PG_VALID} GROUP BY 1, 2, 3
            ON CONFLICT (project_id, prefix_len, hidden) DO UPDATE SET masks = s.masks + excluded.masks;`;
      const remove = (rows: string) => `WITH gone AS (
              SELECT project_id, ${PG_SHAPE}, count(*)::integer AS n FROM ${rows} WHERE ${PG_VALID} GROUP BY 1, 2, 3)
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
        SELECT project_id, ${PG_SHAPE}, count(*)::integer FROM report_masks WHERE ${PG_VALID} GROUP BY 1, 2, 3`).execute(db);
    }
  },
};
